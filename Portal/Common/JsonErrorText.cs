using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.Common;

/// <summary>
/// A System.Text.Json error as a sentence a person can act on: where (line, column and the field's path) and what is
/// wrong in JSON's words (text, number, list, object), instead of the serializer's text with .NET type names and
/// "BytePositionInLine".
/// </summary>
public static partial class JsonErrorText
{
    public static string Describe(JsonException error)
    {
        var where = Where(error);
        var what = TokenMismatch(error.InnerException) ?? What(error.Message ?? "");
        return where is null ? Sentence(what) : $"{where}: {what}.";
    }

    private static string Sentence(string what) => char.ToUpperInvariant(what[0]) + what[1..] + ".";

    private static string? Where(JsonException error)
    {
        var path = string.IsNullOrEmpty(error.Path) || error.Path == "$" ? null : error.Path.StartsWith("$.", StringComparison.Ordinal) ? error.Path[2..] : error.Path.TrimStart('$');
        var position = error.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}") + (error.BytePositionInLine is { } column ? string.Create(CultureInfo.InvariantCulture, $", column {column + 1}") : "")
            : null;
        return (position, path) switch
        {
            (null, null) => null,
            (not null, null) => Capital(position),
            (null, not null) => $"At {path}",
            _ => $"{Capital(position)} (at {path})",
        };
    }

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string What(string message)
    {
        var text = PositionSuffix().Replace(message, "").Trim().TrimEnd('.');
        if (ConvertedTo().Match(text) is { Success: true } converted)
        {
            return $"the value has the wrong type: {Expected(converted.Groups[1].Value)} is expected here";
        }

        if (MissingRequired().Match(text) is { Success: true } missing)
        {
            return $"the required field{(missing.Groups[1].Value.Contains(',') ? "s" : "")} {missing.Groups[1].Value} {(missing.Groups[1].Value.Contains(',') ? "are" : "is")} missing";
        }

        if (text.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "there is no JSON here; the text is empty";
        }

        if (text.StartsWith("Expected depth to be zero", StringComparison.Ordinal))
        {
            return "the text ends before every { and [ is closed by its } or ]";
        }

        if (InvalidStart().Match(text) is { Success: true } start)
        {
            return $"{start.Groups[1].Value} cannot start a value (text needs double quotes; true, false and null are lower case)";
        }

        if (text.Contains("is invalid after a value", StringComparison.Ordinal) || text.Contains("after a property name", StringComparison.Ordinal))
        {
            return "a comma, a colon or a closing bracket is missing or misplaced just before this point";
        }

        if (text.StartsWith('\'') && text.Contains("is invalid", StringComparison.Ordinal))
        {
            return $"{text[..(text.IndexOf("is invalid", StringComparison.Ordinal))].Trim()} is not allowed here (check for a trailing comma or a missing quote)";
        }

        return char.ToLowerInvariant(text[0]) + text[1..];
    }

    // For constructor parameters the serializer names the declaring type, not the field's; the reader's own error says
    // what was found and what was wanted.
    private static string? TokenMismatch(Exception? inner)
    {
        if (inner is FormatException && OutOfBounds().Match(inner.Message) is { Success: true } bounds)
        {
            return $"the value has the wrong type or is out of range: {Expected("System." + bounds.Groups[1].Value)} is expected here";
        }

        if (inner is not InvalidOperationException || TokenAs().Match(inner.Message) is not { Success: true } match)
        {
            return null;
        }

        var expected = match.Groups[2].Value switch
        {
            "string" => "text in double quotes",
            "boolean" => "true or false",
            "number" or "Int32" or "Int64" or "Double" or "Decimal" or "Single" => "a number",
            var other => $"a {other.ToLowerInvariant()}",
        };
        var found = match.Groups[1].Value switch
        {
            "StartArray" => "a list",
            "StartObject" => "an object",
            "String" => "text",
            "Number" => "a number",
            "True" or "False" => match.Groups[1].Value.ToLowerInvariant(),
            "Null" => "null",
            var other => other,
        };
        return $"the value has the wrong type: {expected} is expected here, not {found}";
    }

    private static string Expected(string type) => type switch
    {
        _ when type.StartsWith("System.String", StringComparison.Ordinal) => "text in double quotes",
        _ when type.StartsWith("System.Int", StringComparison.Ordinal) || type.StartsWith("System.UInt", StringComparison.Ordinal) || type.StartsWith("System.Byte", StringComparison.Ordinal) => "a whole number",
        _ when type.StartsWith("System.Double", StringComparison.Ordinal) || type.StartsWith("System.Single", StringComparison.Ordinal) || type.StartsWith("System.Decimal", StringComparison.Ordinal) => "a number",
        _ when type.StartsWith("System.Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("Dictionary", StringComparison.Ordinal) => "an object { \"name\": \"value\" }",
        _ when type.Contains("List", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) || type.Contains("Enumerable", StringComparison.Ordinal) => "a list [ ... ]",
        _ => "an object { ... }",
    };

    [GeneratedRegex(@"\s*(Path: .*|LineNumber: .*)$", RegexOptions.Singleline)]
    private static partial Regex PositionSuffix();

    [GeneratedRegex(@"^The JSON value could not be converted to ([^\s]+)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"Cannot get the value of a token type '(\w+)' as a (\w+)")]
    private static partial Regex TokenAs();

    [GeneratedRegex(@"out of bounds for an? (\w+)")]
    private static partial Regex OutOfBounds();

    [GeneratedRegex(@"missing required properties including: (.+)$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"^('.*') is an invalid start of a value")]
    private static partial Regex InvalidStart();
}
