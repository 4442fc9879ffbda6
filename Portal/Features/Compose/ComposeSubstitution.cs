using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Portal.Features.Compose;

/// <summary>
/// <c>${PARAM}</c> in a compose file, as for single apps: replaced by the parameter's value in the parsed file's scalar
/// values, never in its text. A value is therefore always one scalar, whatever it holds: a newline and
/// <c>privileged: true</c>, quotes or a flow list cannot add a key, and the validation that follows judges the value as
/// substituted (a parameter of "true" for <c>privileged</c> is refused like the literal). Mapping keys are left as
/// written, so a parameter cannot rename a key either. Placeholders of other kinds (<c>${config:KEY}</c>) are left alone.
/// </summary>
public static partial class ComposeSubstitution
{
    /// <summary>One scalar with its placeholders replaced, in one pass: a value holding <c>${OTHER}</c> stays as given.</summary>
    public static string Apply(string scalar, IReadOnlyDictionary<string, string> parameters) =>
        !scalar.Contains("${", StringComparison.Ordinal) ? scalar
        : Placeholder().Replace(scalar, m => parameters.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    /// <summary>Replaces placeholders in every scalar value below <paramref name="root"/>, each node once (an anchor's node is shared by its aliases).</summary>
    public static void Apply(YamlNode root, IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.Count == 0)
        {
            return;
        }

        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<YamlNode>([root]);
        while (pending.TryPop(out var node))
        {
            if (!seen.Add(node))
            {
                continue;
            }

            switch (node)
            {
                case YamlScalarNode { Value: { } value } scalar:
                    scalar.Value = Apply(value, parameters);
                    break;
                case YamlSequenceNode list:
                    list.Children.ToList().ForEach(pending.Push);
                    break;
                case YamlMappingNode map:
                    // Values only: keys say what a value means, and stay as the certified file wrote them.
                    map.Children.Values.ToList().ForEach(pending.Push);
                    break;
            }
        }
    }

    /// <summary>The plain <c>${NAME}</c> placeholders the file uses.</summary>
    public static IEnumerable<string> Names(string compose) =>
        Placeholder().Matches(compose).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
