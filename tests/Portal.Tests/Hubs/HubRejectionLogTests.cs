using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Hubs;
using Portal.Tests.Security;

namespace Portal.Tests.Hubs;

public sealed class HubRejectionLogTests
{
    private readonly ManualClock clock = new();
    private readonly ListLogger<HubRejectionLog> logger = new();
    private readonly HubRejectionLog log;

    public HubRejectionLogTests()
    {
        log = new HubRejectionLog(Options.Create(new PortalOptions { Security = { AgentLimits = { RejectionLogIntervalSeconds = 60 } } }), clock, logger);
    }

    [Fact]
    public void Record_ManyRejectionsOfOneDevice_LogsOncePerIntervalWithTheCount()
    {
        for (var i = 0; i < 1000; i++)
        {
            log.Record("dev-1", "Heartbeat", "interval 0 s");
        }

        clock.Now += TimeSpan.FromSeconds(61);
        log.Record("dev-1", "Heartbeat", "interval 0 s");

        Assert.Equal(2, logger.Lines.Count);
        Assert.Contains("(0 more rejections", logger.Lines[0], StringComparison.Ordinal);
        Assert.Contains("(999 more rejections", logger.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Record_AnotherDevice_IsLoggedOnItsOwn()
    {
        log.Record("dev-1", "SendLogs", "too many calls");
        log.Record("dev-2", "SendLogs", "too many calls");

        Assert.Equal(2, logger.Lines.Count);
    }

    [Fact]
    public void Record_ProblemWithLineBreaksAndDirectionOverrides_IsOneCleanLine()
    {
        log.Record("dev-1", "ReportInventory", "bad name \"x\r\n2026-12-01 fake line\u202Egnp.exe\"" + new string('a', 1000));

        var line = Assert.Single(logger.Lines);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\u202E', line);
        Assert.True(line.Length < 600, line);
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Assert.Null(exception);
            Lines.Add(formatter(state, exception));
        }
    }
}
