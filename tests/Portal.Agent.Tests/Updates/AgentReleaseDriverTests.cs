using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Agent.Configuration;
using Portal.Agent.Enrollment;
using Portal.Agent.Reconciler;
using Portal.Agent.Updates;
using Portal.Shared.Workloads;

namespace Portal.Agent.Tests.Updates;

/// <summary>
/// The agent release driver against an installation laid out as <c>portal-agent-launch</c> expects, a "portal" that is
/// an in-memory handler (no traffic leaves the process) and a signing key like the portal's: a download cut halfway
/// resumes with a Range request and the build is switched to; a disk too small fails before anything is fetched; a
/// build whose signature does not verify is never installed; a release the launcher rolled back is Failed with its reason.
/// </summary>
public sealed class AgentReleaseDriverTests : IDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string root = Path.Combine(Path.GetTempPath(), "agent-update-" + Guid.NewGuid().ToString("N"));
    private readonly ReleaseFixture release = new();
    private readonly byte[] build = ReleaseFixture.Build();
    private readonly List<string> requests = [];
    private readonly Clock clock = new();
    private readonly Lifetime lifetime = new();
    private readonly AgentExit exit = new();
    private readonly AgentInstall install;
    private readonly string running;
    private int cutAfter = -1;

    public AgentReleaseDriverTests()
    {
        install = new AgentInstall(Path.Combine(root, "home"));
        running = install.VersionPath("0.0.1");
        Directory.CreateDirectory(Path.GetDirectoryName(running)!);
        File.WriteAllText(running, "the running build");
        install.PointCurrentAt(running);
    }

    private AgentReleaseDriver Driver(int minFreeDiskMb = 0, string? home = null)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new AgentOptions
        {
            DataDirectory = Path.Combine(root, "data"), MinFreeDiskMb = minFreeDiskMb, Update = new AgentUpdateOptions { Home = home ?? install.Home, HealthTimeoutSeconds = 42 },
        });
        var driver = new AgentReleaseDriver(options, new Portal(this), new ReleaseTrust { Key = release.PublicKey }, new WorkloadReporter(clock, NullLogger<WorkloadReporter>.Instance),
            exit, lifetime, NullLoggerFactory.Instance, clock, NullLogger<AgentReleaseDriver>.Instance);
        driver.Start(new AgentCredentials("device-1", "secret", "http://127.0.0.1:1", DateTimeOffset.UtcNow, release.PublicKey));
        return driver;
    }

    private async Task<WorkloadStatus> ReconcileAsync(AgentReleaseDriver driver, AgentReleaseWorkloadSpec spec) =>
        Assert.Single((await driver.ReconcileAsync(new DesiredState(1, [DesiredWorkload.Of(spec)]), ct)).Statuses);

    [Fact]
    public async Task InterruptedDownload_ResumesWithRange_VerifiesAndSwitches()
    {
        var spec = release.Spec(build);
        var driver = Driver();
        cutAfter = build.Length / 3;

        var first = await ReconcileAsync(driver, spec);
        Assert.Equal(WorkloadState.Pending, first.State);
        Assert.Contains("interrupted", first.Reason, StringComparison.Ordinal);
        Assert.Equal(running, install.CurrentTarget());

        clock.Advance(AgentReleaseDriver.ResumeAfter + TimeSpan.FromSeconds(1));
        cutAfter = -1;
        var second = await ReconcileAsync(driver, spec);

        Assert.Equal(["GET from 0", $"GET from {build.Length / 3}"], requests);
        Assert.Equal(WorkloadState.Starting, second.State);
        Assert.Equal(install.VersionPath("9.9.9"), install.CurrentTarget());
        Assert.Equal(build, await File.ReadAllBytesAsync(install.VersionPath("9.9.9"), ct));
        var pending = AgentInstall.ReadState(install.Pending)!;
        Assert.Equal((running, "9.9.9", spec.SpecHash, "42"), (pending["previous"], pending["version"], pending["spec"], pending["deadline"]));
        Assert.Equal(AgentExitCodes.RestartRequested, exit.Code);
        Assert.True(lifetime.Stopped);
    }

    [Fact]
    public async Task DiskTooSmall_FailsBeforeDownloadingAnything()
    {
        var status = await ReconcileAsync(Driver(minFreeDiskMb: 10_000_000), release.Spec(build));

        Assert.Equal(WorkloadState.Failed, status.State);
        Assert.StartsWith("Not enough disk", status.Reason, StringComparison.Ordinal);
        Assert.Empty(requests);
        Assert.Equal(running, install.CurrentTarget());
    }

    [Fact]
    public async Task SignatureDoesNotVerify_InstallsNothingAndDoesNotRetry()
    {
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var spec = release.Spec(build, signer: stranger);
        var driver = Driver();

        var status = await ReconcileAsync(driver, spec);
        clock.Advance(TimeSpan.FromHours(1));
        var again = await ReconcileAsync(driver, spec);

        Assert.Equal((WorkloadState.Failed, WorkloadState.Failed), (status.State, again.State));
        Assert.Contains("signature", status.Reason, StringComparison.Ordinal);
        Assert.Single(requests);
        Assert.Equal(running, install.CurrentTarget());
        Assert.False(Directory.Exists(Path.GetDirectoryName(install.VersionPath("9.9.9"))));
        Assert.False(File.Exists(install.Pending));
        Assert.False(lifetime.Stopped);
    }

    [Fact]
    public async Task RolledBackByTheLauncher_IsFailedWithItsReason_AndNotTriedAgain()
    {
        var spec = release.Spec(build);
        Directory.CreateDirectory(Path.GetDirectoryName(install.Result)!);
        await File.WriteAllTextAsync(install.Result, $"outcome=rolled-back\nversion=9.9.9\nspec={spec.SpecHash}\nreason=it exited with code 1 before it connected to the portal and reported\n", ct);

        var status = await ReconcileAsync(Driver(), spec);

        Assert.Equal(WorkloadState.Failed, status.State);
        Assert.Contains("rolled back", status.Reason, StringComparison.Ordinal);
        Assert.Contains("exited with code 1", status.Reason, StringComparison.Ordinal);
        Assert.Empty(requests);
    }

    [Fact]
    public async Task NotStartedByTheLauncher_FailsSayingHowToInstall()
    {
        var status = await ReconcileAsync(Driver(home: Path.Combine(root, "nowhere")), release.Spec(build));

        Assert.Equal(WorkloadState.Failed, status.State);
        Assert.Contains("not a symlink", status.Reason, StringComparison.Ordinal);
        Assert.Empty(requests);
    }

    [Fact]
    public async Task SameVersionAsRunning_IsRunning()
    {
        var status = await ReconcileAsync(Driver(), release.Spec(build, version: AgentWorker.Version));

        Assert.Equal(WorkloadState.Running, status.State);
        Assert.Empty(requests);
    }

    [Fact]
    public void Commit_AfterConnecting_EndsTheTrialAndKeepsOnlyCurrentAndPrevious()
    {
        var old = install.VersionPath("0.0.0");
        Directory.CreateDirectory(Path.GetDirectoryName(old)!);
        File.WriteAllText(old, "older");
        var candidate = install.Place("1.0.0", running);
        install.Switch(candidate, "1.0.0", "spec", 30);

        Assert.True(install.Commit());

        Assert.False(File.Exists(install.Pending));
        Assert.Equal(candidate, install.CurrentTarget());
        Assert.True(File.Exists(running));
        Assert.False(File.Exists(old));
        Assert.False(install.Commit());
    }

    [Fact]
    public void Commit_PendingFromASwitchThatNeverHappened_IsRemovedWithoutCommitting()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(install.Pending)!);
        File.WriteAllText(install.Pending, $"candidate={install.VersionPath("2.0.0")}\nprevious={running}\n");

        Assert.False(install.Commit());
        Assert.False(File.Exists(install.Pending));
    }

    public void Dispose()
    {
        release.Dispose();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Serves the build; while <see cref="cutAfter"/> is set, the body breaks after that many bytes.</summary>
    private sealed class Portal(AgentReleaseDriverTests test) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new Handler(test));

        private sealed class Handler(AgentReleaseDriverTests test) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var from = request.Headers.Range?.Ranges.Single().From ?? 0;
                test.requests.Add($"GET from {from}");
                var body = test.build[(int)from..];
                var response = new HttpResponseMessage(from > 0 ? HttpStatusCode.PartialContent : HttpStatusCode.OK)
                {
                    Content = new StreamContent(new BreakingStream(body, test.cutAfter < 0 ? int.MaxValue : test.cutAfter - (int)from)),
                };
                if (from > 0)
                {
                    response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, test.build.Length - 1, test.build.Length);
                }

                return Task.FromResult(response);
            }
        }
    }

    private sealed class BreakingStream(byte[] data, int breakAt) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => Position >= breakAt
            ? throw new IOException("connection reset by peer")
            : base.Read(buffer, offset, (int)Math.Min(count, breakAt - Position));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Position >= breakAt
            ? throw new IOException("connection reset by peer")
            : base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, breakAt - Position)], cancellationToken);
    }

    private sealed class Clock : TimeProvider
    {
        private DateTimeOffset now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }

    private sealed class Lifetime : Microsoft.Extensions.Hosting.IHostApplicationLifetime
    {
        public bool Stopped { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopped = true;
    }
}
