using Portal.Features.Models;
using Portal.Hosting;

// The upload optimizer runs in a child process of this same program (see ModelOptimizer).
if (ModelOptimizerProcess.Matches(args))
{
    return ModelOptimizerProcess.Run(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseStaticWebAssets();
builder.AddPortalServices();

var app = builder.Build();
await app.InitializePortalAsync();
app.MapPortal();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so tests can host the portal with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
