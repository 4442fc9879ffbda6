using Portal.Data;
using Portal.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseStaticWebAssets();
builder.AddPortalServices();

var app = builder.Build();
await app.InitializePortalAsync();
app.MapPortal();
await app.RunAsync();

/// <summary>Entry point; public so tests can host the portal with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
