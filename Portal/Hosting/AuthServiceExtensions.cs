using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Components.Account;
using Portal.Configuration;
using Portal.Data;
using Portal.Features.Account;
using Portal.Features.Devices;
using Portal.Features.Tokens;
using Portal.Features.Users;
using Portal.Hubs;
using Portal.Security;
using Portal.Shared.Security;

namespace Portal.Hosting;

internal static class AuthServiceExtensions
{
    public static IServiceCollection AddPortalAuth(this IServiceCollection services, PortalOptions portal)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddSingleton<TwoFactorPolicy>();
        services.AddSingleton<SignInLockout>();
        services.AddSingleton<SecretParameters>();
        services.AddSingleton<ReleaseSigningKey>();
        // Before any log line is written for a request: the agent hub's ?access_token= becomes its Authorization header.
        services.Replace(ServiceDescriptor.Singleton<IHttpContextFactory, AgentHubQueryToken>());
        services.AddSingleton<ITwoFactorRequirement>(sp => sp.GetRequiredService<TwoFactorPolicy>());
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = PortalAuthSchemes.CookieOrBearer;
                options.DefaultChallengeScheme = PortalAuthSchemes.CookieOrBearer;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(PortalAuthSchemes.CookieOrBearer, null, o => o.ForwardDefaultSelector = PortalAuthSchemes.Select)
            .AddBearerToken(IdentityConstants.BearerScheme)
            .AddScheme<AuthenticationSchemeOptions, DeviceAuthenticationHandler>(DeviceAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, AccessTokenAuthenticationHandler>(AccessTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(ConfigureCookie);
        // Role changes and locks reach signed-in browsers within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddIdentityCore<PortalUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
                options.Password.RequiredLength = portal.Security.PasswordMinLength;
                options.Lockout.AllowedForNewUsers = true;
                // Per source address first (SignInLockout); the account itself locks only at this much higher count.
                options.Lockout.MaxFailedAccessAttempts = portal.Security.AccountLockoutMaxFailedAttempts;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(portal.Security.LockoutMinutes);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddDefaultTokenProviders()
            .AddApiEndpoints()
            // After AddApiEndpoints, which registers the stock sign-in manager again.
            .AddSignInManager<PortalSignInManager>()
            .AddUserManager<PortalUserManager>();

        services.AddAuthorizationBuilder().AddPortalPolicies();

        var dataProtection = services.AddDataProtection()
            .SetApplicationName("EdgeAiPortal")
            .PersistKeysToFileSystem(KeyDirectory(portal));
        if (KeyRingCertificate.Load(portal.Security) is { } certificate)
        {
            // New keys are written encrypted to this certificate; keys written before it was set are still read.
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        return services;
    }

    /// <summary>The keys that sign cookies and tokens are readable by the portal's user only.</summary>
    private static DirectoryInfo KeyDirectory(PortalOptions portal)
    {
        var path = Path.Combine(portal.ResolvedDataDirectory, "keys");
        return OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.LoginPath = "/Account/Login";
        options.LogoutPath = "/Account/Logout";
        options.AccessDeniedPath = "/Account/AccessDenied";
        options.Cookie.Name = "portal.auth";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.SlidingExpiration = true;
        options.ExpireTimeSpan = TimeSpan.FromHours(12);

        // Scripts get status codes, browsers get redirects.
        options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (PortalAuthSchemes.IsApiRequest(context.Request))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
