using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Docker.DotNet;
using Portal.Shared.Workloads;

namespace Portal.Agent.Docker;

/// <summary>
/// Reads a container's log stream (already split into stdout and stderr frames by <see cref="MultiplexedStream"/>)
/// as lines. Frames do not follow line breaks, so each stream keeps its unfinished line, and its unfinished UTF-8
/// sequence, until the rest arrives.
/// </summary>
internal static class DockerLogReader
{
    public static async IAsyncEnumerable<LogLine> ReadAsync(
        MultiplexedStream stream,
        TimeProvider clock,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var splitter = new DockerLogSplitter(clock);
        var buffer = new byte[16 * 1024];
        var lines = new List<LogLine>();
        while (true)
        {
            MultiplexedStream.ReadResult read = default;
            var ended = false;
            try
            {
                read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
                ended = read.EOF;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // The caller is done. A transport torn down mid-read throws whatever it likes (even NotSupportedException).
                yield break;
            }
            catch (IOException)
            {
                // The engine drops the connection when the container is removed mid-follow; that ends the log, it is no failure.
                ended = true;
            }

            if (ended)
            {
                foreach (var line in splitter.Flush())
                {
                    yield return line;
                }

                yield break;
            }

            var name = read.Target == MultiplexedStream.TargetStream.StandardError ? "stderr" : "stdout";
            lines.Clear();
            splitter.Append(name, buffer.AsSpan(0, read.Count), lines);
            foreach (var line in lines)
            {
                yield return line;
            }
        }
    }
}

/// <summary>Cuts raw log bytes into lines per stream; pure, so tests can feed it awkward splits.</summary>
internal sealed class DockerLogSplitter(TimeProvider clock)
{
    private readonly Dictionary<string, (Decoder Decoder, StringBuilder Pending)> _streams = new(StringComparer.Ordinal);

    public void Append(string stream, ReadOnlySpan<byte> bytes, List<LogLine> lines)
    {
        if (!_streams.TryGetValue(stream, out var state))
        {
            state = (Encoding.UTF8.GetDecoder(), new StringBuilder());
            _streams[stream] = state;
        }

        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var count = state.Decoder.GetChars(bytes, chars, flush: false);
        foreach (var c in chars.AsSpan(0, count))
        {
            if (c == '\n')
            {
                lines.Add(Parse(stream, state.Pending.ToString(), clock));
                state.Pending.Clear();
            }
            else
            {
                state.Pending.Append(c);
            }
        }
    }

    /// <summary>What is left when the stream ends: a last line without its newline.</summary>
    public IEnumerable<LogLine> Flush() =>
        _streams
            .Where(s => s.Value.Pending.Length > 0)
            .Select(s => Parse(s.Key, s.Value.Pending.ToString(), clock))
            .ToList();

    /// <summary>Splits Docker's <c>2024-05-01T10:00:00.123456789Z text</c>; a line without a readable timestamp keeps all its text.</summary>
    public static LogLine Parse(string stream, string raw, TimeProvider clock)
    {
        raw = raw.TrimEnd('\r');
        var space = raw.IndexOf(' ', StringComparison.Ordinal);
        var stamp = space < 0 ? raw : raw[..space];
        return TryParseTimestamp(stamp, out var at)
            ? new LogLine(at, stream, space < 0 ? string.Empty : raw[(space + 1)..])
            : new LogLine(clock.GetUtcNow(), stream, raw);
    }

    /// <summary>Docker writes RFC 3339 with nanoseconds, and <c>0001-01-01T00:00:00Z</c> for never; .NET reads at most 7 fraction digits.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value) && text.Length >= 20;
    }
}
