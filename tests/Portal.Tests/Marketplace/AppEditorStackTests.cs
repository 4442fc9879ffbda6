using System.IO.Compression;
using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Features.Marketplace;
using Portal.Tests.Devices;

namespace Portal.Tests.Marketplace;

/// <summary>The admin dialog's stack upload: the services are shown before saving, a bad file is refused with its line.</summary>
public sealed class AppEditorStackTests : PortalBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly CancellationToken ct = Xunit.TestContext.Current.CancellationToken;

    public const string TwoServices = """
        services:
          probe:
            image: local/busybox:1
            command: ["sleep", "3600"]
            network_mode: host
            env_file: probe.env
            healthcheck:
              test: ["CMD", "true"]
          web:
            image: local/busybox:1
            command: ["httpd", "-f", "-p", "127.0.0.1:18080"]
            network_mode: host
            ports: ["18080:18080"]
            depends_on:
              probe:
                condition: service_healthy
        """;

    public AppEditorStackTests()
    {
        this.AddDevicePageServices();
        Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task Upload_ZipWithComposeAndConfigFile_ShowsServicesThenSavesTheStack()
    {
        var dialogs = await OpenAsync();

        Upload(dialogs, "stack.zip", Zip(("compose.yaml", TwoServices), ("probe.env", "MODE=edge\n")));

        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("#stack-services tr.stack-service").Count), Patience);
        Assert.Equal(["probe", "web"], dialogs.FindAll(".service-name").Select(c => c.TextContent.Trim()));
        Assert.Equal("18080:18080/tcp", dialogs.FindAll(".service-ports")[1].TextContent.Trim());
        Assert.Equal("probe (healthy)", dialogs.FindAll(".service-depends")[1].TextContent.Trim());
        Assert.Contains("config files probe.env", dialogs.Find("#stack-summary").TextContent, StringComparison.Ordinal);

        await dialogs.Find("#save-app").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-app")), Patience);
        var saved = Assert.Single(await Services.GetRequiredService<MarketplaceService>().ListAsync(true, ct), a => a.Id == "my-app");
        var version = Assert.Single(saved.Versions);
        Assert.Equal(TwoServices, version.Compose);
        Assert.Equal("MODE=edge\n", version.ComposeFiles!["probe.env"]);
        Assert.Equal("", version.Image);
    }

    [Fact]
    public async Task Upload_PrivilegedService_ShowsTheLineAndSavesNothing()
    {
        var dialogs = await OpenAsync();

        Upload(dialogs, "compose.yml", Encoding.UTF8.GetBytes("services:\n  a:\n    image: local/busybox:1\n    privileged: true\n"));

        dialogs.WaitForAssertion(() => Assert.StartsWith("compose.yml: Line 4:", dialogs.Find("#stack-error").TextContent.Trim(), StringComparison.Ordinal), Patience);
        Assert.Empty(dialogs.FindAll("#stack-services"));
        await dialogs.Find("#save-app").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Line 4", dialogs.Find("#dialog-error").TextContent, StringComparison.Ordinal), Patience);
        Assert.DoesNotContain(await Services.GetRequiredService<MarketplaceService>().ListAsync(true, ct), a => a.Id == "my-app");
    }

    [Fact]
    public async Task Upload_ZipSlipEntry_IsRefusedWithTheReason()
    {
        var dialogs = await OpenAsync();

        Upload(dialogs, "stack.zip", Zip(("compose.yaml", TwoServices), ("../probe.env", "A=1")));

        dialogs.WaitForAssertion(() => Assert.Equal("The zip entry '../probe.env' points outside the archive; such paths are refused.", dialogs.Find("#stack-error").TextContent.Trim()), Patience);
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync()
    {
        var dialogs = Render<MudDialogProvider>();
        var service = Services.GetRequiredService<IDialogService>();
        await dialogs.InvokeAsync(() => service.ShowAsync<AppEditorDialog>("Add app"));
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#save-app")), Patience);
        await dialogs.InvokeAsync(() => dialogs.FindComponent<MudRadioGroup<bool>>().Instance.ValueChanged.InvokeAsync(true));
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#stack-empty")), Patience);
        return dialogs;
    }

    private static void Upload(IRenderedComponent<MudDialogProvider> dialogs, string name, byte[] content) =>
        dialogs.FindComponents<InputFile>().Single(f => Equals(f.Instance.AdditionalAttributes?["id"], "stack-file"))
            .UploadFiles(InputFileContent.CreateFromBinary(content, name));

    public static byte[] Zip(params (string Name, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }
}
