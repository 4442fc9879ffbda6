using System.Diagnostics;
using System.Globalization;
using MimeKit;

namespace Portal.Testing;

/// <summary>
/// A real SMTP server: Debian's python3-aiosmtpd running <c>tests/Shared/smtp_server.py</c> on a free 127.0.0.1 port,
/// keeping every message it accepts as a file (the raw bytes the client sent) that the tests read back with MimeKit.
/// It can require AUTH (PLAIN or LOGIN, without TLS) with one user and password, and can answer
/// <c>451 4.3.0 Try again later</c> to the first messages. ./test.sh installs the package; where it is missing the
/// tests that need it skip, saying so.
/// </summary>
internal sealed class SmtpServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private const string Package = "/usr/lib/python3/dist-packages/aiosmtpd";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "portal-smtp", Guid.NewGuid().ToString("N"));
    private readonly System.Text.StringBuilder errors = new();
    private Process? process;

    private SmtpServer(int port) => Port = port;

    public int Port { get; }

    public string Host { get; } = "127.0.0.1";

    /// <summary>Why the tests that need an SMTP server cannot run here, or null.</summary>
    public static string? Missing() =>
        File.Exists(Python) && Directory.Exists(Package) ? null : "aiosmtpd is not installed (./test.sh installs python3-aiosmtpd)";

    /// <summary>
    /// Starts the server. With <paramref name="user"/> and <paramref name="password"/> it requires AUTH with that pair
    /// before MAIL FROM; with <paramref name="failFirst"/> it refuses that many messages (451) before accepting any.
    /// </summary>
    public static async Task<SmtpServer> StartAsync(string? user = null, string? password = null, int failFirst = 0, CancellationToken ct = default)
    {
        if ((user is null) != (password is null))
        {
            throw new ArgumentException("A user and a password go together.", nameof(password));
        }

        var server = new SmtpServer(AgentProcess.FreeLoopbackPort());
        try
        {
            await server.LaunchAsync(user, password, failFirst, ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> messages have been accepted, then returns all of them (in the
    /// order they arrived).
    /// </summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(int count, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var files = MessageFiles();
            if (files.Count >= count)
            {
                var messages = new List<MimeMessage>(files.Count);
                foreach (var file in files)
                {
                    messages.Add(await MimeMessage.LoadAsync(file, ct));
                }

                return messages;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"Expected {count} e-mail message(s) at {Host}:{Port} within {timeout.TotalSeconds:0.#} s, but {files.Count} arrived.{Diagnostics()}");
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>The messages accepted so far, in the order they arrived.</summary>
    public IReadOnlyList<MimeMessage> Messages() => [.. MessageFiles().Select(file => MimeMessage.Load(file))];

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }

            await process.WaitForExitAsync();
            process.Dispose();
            process = null;
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task LaunchAsync(string? user, string? password, int failFirst, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "smtp_server.py"));
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--dir");
        info.ArgumentList.Add(folder);
        if (user is not null && password is not null)
        {
            info.ArgumentList.Add("--user");
            info.ArgumentList.Add(user);
            info.ArgumentList.Add("--password");
            info.ArgumentList.Add(password);
        }

        if (failFirst > 0)
        {
            info.ArgumentList.Add("--fail-first");
            info.ArgumentList.Add(failFirst.ToString(CultureInfo.InvariantCulture));
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process = Process.Start(info) ?? throw new InvalidOperationException($"{Python} did not start.");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "READY")
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var exited = process.WaitForExitAsync(timeout.Token);
        var expired = Task.Delay(TimeSpan.FromSeconds(15), timeout.Token);
        var first = await Task.WhenAny(ready.Task, exited, expired);
        await timeout.CancelAsync();
        if (first == ready.Task)
        {
            return;
        }

        // When the exit came first, WaitForExitAsync has also read its output to the end: the message has all of stderr.
        ct.ThrowIfCancellationRequested();
        var state = process.HasExited ? $"exited with {process.ExitCode}" : "no READY in 15 s";
        throw new InvalidOperationException($"The SMTP server on port {Port} did not start ({state}).{Diagnostics()}");
    }

    private List<string> MessageFiles()
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        // The server writes each message under a temporary name and renames it: a *.eml file is always complete.
        var files = Directory.GetFiles(folder).Where(f => f.EndsWith(".eml", StringComparison.Ordinal)).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private string Diagnostics()
    {
        lock (errors)
        {
            return errors.Length == 0 ? string.Empty : $" Its stderr:\n{errors}";
        }
    }
}
