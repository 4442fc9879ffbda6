using System.Text.RegularExpressions;

namespace Portal.Features.Models;

/// <summary>
/// Error texts of ONNX Runtime, the file system and the multipart reader name files on the server (the upload's temporary
/// file, an external-data file beside it). People and scripts uploaded a file by its own name and must never see where
/// the portal keeps its data: every absolute path becomes its last segment.
/// </summary>
public static partial class ServerPaths
{
    public static string Hide(string message) =>
        AbsolutePath().Replace(message, m => Path.GetFileName(m.Value.TrimEnd('/', '\\')) is { Length: > 0 } name ? name : "(a file on the server)");

    // A Unix path of two or more segments, or a Windows drive path; stops at quotes, whitespace and brackets.
    [GeneratedRegex(@"(?<![\w.])(/[^\s'""`()\[\]{}<>,;/]+){2,}/?|[A-Za-z]:\\[^\s'""`()\[\]{}<>,;]+", RegexOptions.CultureInvariant)]
    private static partial Regex AbsolutePath();
}
