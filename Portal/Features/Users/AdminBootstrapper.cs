using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;
using Portal.Security;
using Portal.Shared.Security;

namespace Portal.Features.Users;

/// <summary>
/// Creates the first admin when the portal starts with no users at all. Later starts never touch it,
/// even if the configured password changes.
/// </summary>
internal sealed partial class AdminBootstrapper(
    UserManager<PortalUser> users,
    IOptions<PortalOptions> options,
    TimeProvider clock,
    ILogger<AdminBootstrapper> logger)
{
    public async Task EnsureAdminAsync(WebApplication app)
    {
        if (await users.Users.AnyAsync(app.Lifetime.ApplicationStopping))
        {
            return;
        }

        var bootstrap = options.Value.Bootstrap;
        var generated = string.IsNullOrEmpty(bootstrap.AdminPassword);
        var password = generated ? PasswordGenerator.Generate() : bootstrap.AdminPassword!;
        var admin = new PortalUser
        {
            UserName = bootstrap.AdminEmail,
            Email = bootstrap.AdminEmail,
            EmailConfirmed = true,
            CreatedAt = clock.GetUtcNow(),
        };

        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not create the bootstrap admin {bootstrap.AdminEmail}: " +
                string.Join(" ", created.Errors.Select(e => e.Description)) +
                " Fix Portal:Bootstrap:AdminPassword, or leave it empty to have one generated.");
        }

        await users.AddToRoleAsync(admin, PortalRoles.Admin);
        LogAdminCreated(logger, bootstrap.AdminEmail);
        if (generated)
        {
            // Printed once, after Kestrel has bound, so the operator sees the real address. Never logged.
            app.Lifetime.ApplicationStarted.Register(() => PrintGeneratedPassword(app, bootstrap.AdminEmail, password));
        }
    }

    private static void PrintGeneratedPassword(WebApplication app, string email, string password)
    {
        var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var url = addresses?.FirstOrDefault() ?? "http://127.0.0.1:5000";
        var lines = new[]
        {
            "The portal created its first admin. This password is shown only once:",
            $"  URL:      {url}",
            $"  Email:    {email}",
            $"  Password: {password}",
            "Sign in and change it under 'My account'.",
        };
        var width = lines.Max(l => l.Length) + 4;
        Console.WriteLine(new string('=', width));
        foreach (var line in lines)
        {
            Console.WriteLine($"  {line}");
        }

        Console.WriteLine(new string('=', width));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the bootstrap admin {Email}")]
    private static partial void LogAdminCreated(ILogger logger, string email);
}
