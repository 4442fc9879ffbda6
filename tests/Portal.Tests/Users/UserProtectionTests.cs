using Portal.Features.Users;
using Portal.Shared.Security;
using Portal.Shared.Users;

namespace Portal.Tests.Users;

public sealed class UserProtectionTests
{
    private static UserDto User(string id, string role, bool locked = false) =>
        new(id, $"{id}@portal.local", [role], locked, null, null, DateTimeOffset.UnixEpoch);

    [Fact]
    public void For_OnlyActiveAdmin_ForbidsDemoteLockAndDelete()
    {
        var admin = User("a", PortalRoles.Admin);
        var lockedAdmin = User("b", PortalRoles.Admin, locked: true);

        var protection = UserProtection.For(admin, [admin, lockedAdmin, User("c", PortalRoles.Viewer)], actingUserId: "c");

        Assert.Contains("last admin", protection.Demote, StringComparison.Ordinal);
        Assert.Contains("last admin", protection.Lock, StringComparison.Ordinal);
        Assert.Contains("last admin", protection.Delete, StringComparison.Ordinal);
    }

    [Fact]
    public void For_OneOfTwoAdmins_AllowsEverything()
    {
        var admin = User("a", PortalRoles.Admin);

        var protection = UserProtection.For(admin, [admin, User("b", PortalRoles.Admin)], actingUserId: "b");

        Assert.Equal(UserProtection.None, protection);
    }

    [Fact]
    public void For_Yourself_ForbidsLockAndDeleteButNotDemote()
    {
        var me = User("a", PortalRoles.Admin);

        var protection = UserProtection.For(me, [me, User("b", PortalRoles.Admin)], actingUserId: "a");

        Assert.Null(protection.Demote);
        Assert.Equal("You can't lock your own account.", protection.Lock);
        Assert.Equal("You can't delete your own account.", protection.Delete);
    }
}
