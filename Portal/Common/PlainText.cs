using System.Globalization;
using System.Text;

namespace Portal.Common;

/// <summary>
/// The one check for text people type into names, labels, e-mails and descriptions (API and pages alike). NUL breaks
/// PostgreSQL; other control characters, line separators and bidirectional overrides (U+202A–U+202E, U+2066–U+2069)
/// forge log lines and make one name look like another. Descriptions may hold line breaks and tabs; names may not.
/// </summary>
public static class PlainText
{
    /// <summary>Why <paramref name="value"/> cannot be stored as <paramref name="what"/>, or null when it can (null and empty can).</summary>
    public static string? Problem(string? value, string what, bool multiline = false) =>
        FirstRefused(value, multiline) is not { } at ? null
        : $"The {what} contains an invisible or control character ({Describe(value!, at)} at position {at + 1}); "
            + (multiline ? "use printable text, line breaks and tabs only." : "use printable characters only, on one line.");

    /// <summary>True when every character may be stored.</summary>
    public static bool IsClean(string? value, bool multiline = false) => FirstRefused(value, multiline) is null;

    /// <summary>The text with every refused character replaced by U+FFFD, for logs and the audit log of refused attempts.</summary>
    public static string? Neutralize(string? value)
    {
        if (FirstRefused(value, multiline: false) is null)
        {
            return value;
        }

        var text = new StringBuilder(value!.Length);
        for (var i = 0; i < value.Length; i++)
        {
            text.Append(IsRefused(value, i, multiline: false) ? '\uFFFD' : value[i]);
        }

        return text.ToString();
    }

    private static int? FirstRefused(string? value, bool multiline)
    {
        for (var i = 0; value is not null && i < value.Length; i++)
        {
            if (IsRefused(value, i, multiline))
            {
                return i;
            }
        }

        return null;
    }

    private static bool IsRefused(string value, int i, bool multiline)
    {
        var c = value[i];
        if (multiline && c is '\n' or '\r' or '\t')
        {
            return false;
        }

        // A lone surrogate is not text at all: UTF-8 (and so PostgreSQL) cannot store it.
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i == 0 || !char.IsHighSurrogate(value[i - 1]);
        }

        return char.IsControl(c) || IsInvisibleFormat(c)
            || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    // Direction marks, embeddings, overrides and isolates, and the zero-width characters that hide text. Zero-width
    // (non-)joiners stay allowed: scripts and emoji sequences need them.
    private static bool IsInvisibleFormat(char c) => c is '\u061C' or '\u200B' or '\u200E' or '\u200F' or '\u2060' or '\uFEFF'
        or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static string Describe(string value, int at) => value[at] switch
    {
        '\0' => "NUL",
        '\n' => "a line break",
        '\r' => "a carriage return",
        '\t' => "a tab",
        var c => $"U+{(int)c:X4}",
    };
}
