using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Components;
using Portal.Features.Audit;
using Portal.Features.Users;
using Portal.Shared.Security;
using Portal.Shared.Users;

namespace Portal.Tests.Users;

public sealed class UsersPageTests : PortalBunitContext
{
    private readonly FakeUserAdminService users = new();
    private readonly FakeTwoFactorRequirement twoFactor = new();

    public UsersPageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddPortalPageServices();
        Services.AddAudit();
        Services.AddUsers();
        Services.AddSingleton(TimeProvider.System);
        // Fakes over the modules' registrations: no Identity store and no policy settings here.
        Services.AddSingleton<IUserAdminService>(users);
        Services.AddSingleton<Portal.Features.Users.ITwoFactorRequirement>(twoFactor);
        var auth = AddAuthorization();
        auth.SetAuthorized("admin@portal.local");
        auth.SetRoles(PortalRoles.Admin);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "admin-id"));

        var now = DateTimeOffset.UtcNow;
        users.Users.Add(new UserDto("admin-id", "admin@portal.local", [PortalRoles.Admin], false, null, now.AddMinutes(-5), now.AddDays(-10)));
        users.Users.Add(new UserDto("op-id", "op@portal.local", [PortalRoles.Operator], false, null, null, now.AddDays(-2)));
        users.Users.Add(new UserDto("viewer-id", "viewer@portal.local", [PortalRoles.Viewer], true, DateTimeOffset.MaxValue, null, now.AddDays(-1)));
    }

    [Fact]
    public void UsersPage_WithUsers_ShowsEveryUserWithRolesAndStatus()
    {
        var page = Render<UsersPage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".user-email").Count));
        var emails = page.FindAll(".user-email").Select(e => e.TextContent).ToList();
        Assert.Equal(["admin@portal.local", "op@portal.local", "viewer@portal.local"], emails);
        Assert.Equal([PortalRoles.Admin, PortalRoles.Operator, PortalRoles.Viewer], page.FindAll(".user-role").Select(e => e.TextContent.Trim()).ToList());
        Assert.Equal(["Active", "Active", "Locked"], page.FindAll(".user-status").Select(e => e.TextContent.Trim()).ToList());
    }

    [Fact]
    public void TwoFactorSwitch_Turned_RequiresTwoFactorForAdminsInTheActingAdminsName()
    {
        var page = Render<UsersPage>();

        page.Find("#two-factor-requirement input[type=checkbox]").Change(true);

        page.WaitForAssertion(() => Assert.True(twoFactor.RequiredForAdmins));
        Assert.Equal("admin@portal.local", twoFactor.ChangedBy?.Name);
    }

    [Fact]
    public void UsersPage_SingleAdmin_SaysWhyItCannotBeRemoved()
    {
        var page = Render<UsersPage>();

        page.WaitForAssertion(() => Assert.Contains("admin@portal.local is the only active admin", page.Find("#last-admin-note").TextContent, StringComparison.Ordinal));
        Assert.True(page.Find("button[aria-label='Delete admin@portal.local']").HasAttribute("disabled"));
        Assert.False(page.Find("button[aria-label='Delete op@portal.local']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Delete_Clicked_AsksForConfirmationBeforeDeleting()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<UsersPage>();
        page.WaitForAssertion(() => page.Find("button[aria-label='Delete op@portal.local']"));

        // The click's handler awaits the dialog, so it completes only once the dialog is answered.
        var click = page.Find("button[aria-label='Delete op@portal.local']").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Contains("Delete op@portal.local? This can't be undone.", dialogs.Find("#confirm-message").TextContent, StringComparison.Ordinal));
        Assert.Empty(users.Deleted);

        await dialogs.Find("#confirm-ok").ClickAsync(new());
        await click.WaitAsync(TimeSpan.FromSeconds(10), Xunit.TestContext.Current.CancellationToken);

        page.WaitForAssertion(() => Assert.Equal(["op-id"], users.Deleted));
        page.WaitForAssertion(() => Assert.DoesNotContain("op@portal.local", page.FindAll(".user-email").Select(e => e.TextContent)));
    }

    [Fact]
    public async Task Delete_Cancelled_DeletesNothing()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<UsersPage>();
        page.WaitForAssertion(() => page.Find("button[aria-label='Delete op@portal.local']"));

        var click = page.Find("button[aria-label='Delete op@portal.local']").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Find("#confirm-cancel"));
        await dialogs.Find("#confirm-cancel").ClickAsync(new());
        await click.WaitAsync(TimeSpan.FromSeconds(10), Xunit.TestContext.Current.CancellationToken);

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#confirm-message")));
        Assert.Empty(users.Deleted);
        Assert.Equal(3, page.FindAll(".user-email").Count);
    }
}
