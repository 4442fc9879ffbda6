using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Shared.Json;

/// <summary>
/// Writes an enum of the REST contracts as its name (<c>"status": "Online"</c>) and reads a name (any case) or, for
/// scripts written against older versions, a defined number. Anything else is refused with the values that would do.
/// </summary>
public sealed class EnumNameConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    /// <summary>The accepted names, as the error message and the OpenAPI document list them.</summary>
    public static string Allowed => string.Join(", ", Enum.GetNames<T>());

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => Parse(reader.GetString()),
        JsonTokenType.Number when reader.TryGetInt32(out var number) && Enum.IsDefined(typeof(T), number) => (T)Enum.ToObject(typeof(T), number),
        _ => throw Refused(reader.TokenType == JsonTokenType.Number ? "this number" : $"a {reader.TokenType.ToString().ToLowerInvariant()}"),
    };

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Name(value));

    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(Name(value));

    private static T Parse(string? text) =>
        text is { Length: > 0 } && !char.IsAsciiDigit(text[0]) && text[0] != '-' && Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw Refused($"'{(text is { Length: > 40 } ? text[..40] + "…" : text)}'");

    private static string Name(T value) => Enum.IsDefined(value) ? value.ToString() : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static JsonException Refused(string what) => new($"{what} is not a {typeof(T).Name}: use one of {Allowed}.");
}
