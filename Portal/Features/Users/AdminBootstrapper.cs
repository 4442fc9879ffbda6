using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Audit;
using Portal.Security;
using Portal.Shared.Security;

namespace Portal.Features.Users;

/// <summary>
/// Creates the first admin when the portal starts with no users at all. Later starts never touch it,
/// even if the configured password changes.
/// </summary>
internal sealed partial class AdminBootstrapper(
    PortalDbContext db,
    UserManager<PortalUser> users,
    IOptions<PortalOptions> options,
    TimeProvider clock,
    AuditLog audit,
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
        var password = generated ? PasswordGenerator.Generate(Math.Max(20, options.Value.Security.PasswordMinLength)) : bootstrap.AdminPassword!;
        var admin = new PortalUser
        {
            UserName = bootstrap.AdminEmail,
            Email = bootstrap.AdminEmail,
            EmailConfirmed = true,
            CreatedAt = clock.GetUtcNow(),
        };

        // One transaction: an admin without the Admin role (or a role without its admin) is never left behind.
        await using (var transaction = await db.Database.BeginTransactionAsync(app.Lifetime.ApplicationStopping))
        {
            Check(await users.CreateAsync(admin, password), bootstrap.AdminEmail);
            Check(await users.AddToRoleAsync(admin, PortalRoles.Admin), bootstrap.AdminEmail);
            await transaction.CommitAsync(app.Lifetime.ApplicationStopping);
        }

        LogAdminCreated(logger, bootstrap.AdminEmail);
        await audit.RecordAsync(AuditActor.System, AuditActions.UserCreated, AuditTargets.User(admin.Id), bootstrap.AdminEmail,
            detail: "first admin, created at first start", ct: app.Lifetime.ApplicationStopping);
        if (generated)
        {
            // Printed at once (not after Kestrel binds), so a start that then fails still shows it. Never logged.
            PrintGeneratedPassword(app, bootstrap.AdminEmail, password);
        }
    }

    private static void Check(IdentityResult result, string email)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not create the bootstrap admin {email}: " + string.Join(" ", result.Errors.Select(e => e.Description)) +
                " Fix Portal:Bootstrap:AdminPassword, or leave it empty to have one generated.");
        }
    }

    private static void PrintGeneratedPassword(WebApplication app, string email, string password)
    {
        var url = app.Configuration["urls"]?.Split(';')[0] ?? "http://127.0.0.1:5000";
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
