using Microsoft.AspNetCore.SignalR;

namespace Portal.Hubs;

/// <summary>
/// The agent hub's dispatcher logs every failed call at Error with its stack trace, a <see cref="HubException"/> (a
/// deliberate refusal) included: one flooding device wrote megabytes. Its refusals are logged instead, throttled, by
/// <see cref="HubRejectionLog"/>; this factory drops only those lines of the dispatcher and passes everything else on.
/// </summary>
internal sealed class QuietRejectionsLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public ILogger CreateLogger(string categoryName) =>
        categoryName == DispatcherCategory ? new Quiet(inner.CreateLogger(categoryName)) : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The application's logger factory is not ours to dispose.
    }

    private sealed class Quiet(ILogger logger) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => logger.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logger.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not HubException)
            {
                logger.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
