using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Features.Audit;
using Portal.Features.Marketplace;
using Portal.Shared.Marketplace;
using Portal.Shared.Security;
using Portal.Tests.Devices;

namespace Portal.Tests.Marketplace;

/// <summary>The admin who certifies a stack sees what it asks of the devices before it becomes deployable.</summary>
public sealed class CertifyStackTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly CancellationToken ct = Xunit.TestContext.Current.CancellationToken;

    private const string Compose = """
        services:
          camera:
            image: ghcr.io/acme/camera:2
            devices:
              - /dev/video0:/dev/video0
            network_mode: host
            volumes:
              - frames:/frames
              - ./data:/data:ro
            deploy:
              resources:
                limits:
                  cpus: "1.5"
                  memory: 256m
                reservations:
                  devices:
                    - capabilities: [gpu]
          web:
            image: nginx:1.27
            ports: ["8080:80"]
            depends_on: [camera]
        volumes:
          frames:
        """;

    public CertifyStackTests()
    {
        var auth = this.AddDevicePageServices();
        auth.SetRoles(PortalRoles.Admin);
        Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task Certify_Stack_ShowsServicesDevicesVolumesLimitsAndNetworkThenCertifies()
    {
        await CreateAsync();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<AppDetailsPage>(p => p.Add(x => x.Id, "camera-stack"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#certify")), Patience);
        Assert.Equal("stack of 2: camera ghcr.io/acme/camera:2, web nginx:1.27", page.Find(".version-stack").TextContent.Trim());

        // Not awaited: the click's handler waits for the dialog's answer.
        var clicked = page.Find("#certify").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("tr.certify-service").Count), Patience);
        Assert.Contains("It asks for host devices: /dev/video0:/dev/video0.", dialogs.Find("#certify-devices").TextContent, StringComparison.Ordinal);
        var camera = dialogs.FindAll("tr.certify-service")[0];
        Assert.Equal("camera", camera.QuerySelector(".service-name")!.TextContent.Trim());
        Assert.Equal("ghcr.io/acme/camera:2", camera.QuerySelector(".service-image")!.TextContent.Trim());
        Assert.Equal("/dev/video0:/dev/video0", camera.QuerySelector(".service-devices")!.TextContent.Trim());
        Assert.Equal("frames:/frames, ./data:/data (read-only) (app folder)", camera.QuerySelector(".service-volumes")!.TextContent.Trim());
        Assert.Equal("1.5 CPU, 256 MiB, GPU", camera.QuerySelector(".service-limits")!.TextContent.Trim());
        Assert.Equal("host", camera.QuerySelector(".service-network")!.TextContent.Trim());
        var web = dialogs.FindAll("tr.certify-service")[1];
        Assert.Equal("8080:80/tcp", web.QuerySelector(".service-ports")!.TextContent.Trim());
        Assert.Equal("the stack's own", web.QuerySelector(".service-network")!.TextContent.Trim());
        Assert.Equal("none", web.QuerySelector(".service-limits")!.TextContent.Trim());
        Assert.False((await Services.GetRequiredService<MarketplaceService>().GetAsync("camera-stack", ct))!.Certified);

        await dialogs.Find("#certify-confirm").ClickAsync(new());

        await clicked.WaitAsync(Patience, ct);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#withdraw")), Patience);
        Assert.True((await Services.GetRequiredService<MarketplaceService>().GetAsync("camera-stack", ct))!.Certified);
    }

    [Fact]
    public async Task Certify_Cancelled_LeavesTheAppUncertified()
    {
        await CreateAsync();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<AppDetailsPage>(p => p.Add(x => x.Id, "camera-stack"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#certify")), Patience);

        // Not awaited: the click's handler waits for the dialog's answer.
        var clicked = page.Find("#certify").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#certify-cancel")), Patience);
        await dialogs.Find("#certify-cancel").ClickAsync(new());

        await clicked.WaitAsync(Patience, ct);
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#certify-cancel")), Patience);
        Assert.False((await Services.GetRequiredService<MarketplaceService>().GetAsync("camera-stack", ct))!.Certified);
    }

    private async Task CreateAsync()
    {
        var created = await Services.GetRequiredService<MarketplaceService>().CreateAsync(
            new AppDefinition("camera-stack", "Camera stack", "Acme", "Vision", "Frames in, a page out.", null, [new AppVersion("1", "", Compose: Compose)]),
            certified: false, new AuditActor("User", null, "admin", null), ct);
        Assert.True(created.Succeeded, created.Error);
    }
}
