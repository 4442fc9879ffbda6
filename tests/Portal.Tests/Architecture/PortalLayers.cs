namespace Portal.Tests.Architecture;

/// <summary>
/// The layering drawn in <c>Portal/README.md</c>: each line between <c>│</c> is a layer, top first; names on one line
/// (separated by <c>·</c>) are peers. Read from the README so the picture and the test cannot disagree.
/// </summary>
internal sealed class PortalLayers
{
    private readonly Dictionary<string, int> heights;

    private PortalLayers(IReadOnlyList<IReadOnlyList<string>> layers)
    {
        Layers = layers;
        heights = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            foreach (var name in layers[i])
            {
                // A name drawn twice would make its height ambiguous.
                if (!heights.TryAdd(name, layers.Count - i))
                {
                    throw new InvalidOperationException($"'{name}' appears twice in Portal/README.md's layering.");
                }
            }
        }
    }

    /// <summary>Top first.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Layers { get; }

    public IEnumerable<string> Names => heights.Keys;

    public static PortalLayers Read(string repositoryRoot)
    {
        var layers = File.ReadLines(Path.Combine(repositoryRoot, "Portal", "README.md"))
            .Select(line => line.Trim())
            .Where(line => line.StartsWith('│'))
            .Select(line => (IReadOnlyList<string>)line.Trim('│').Split('·', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(names => names.Count > 0)
            .ToList();
        return new PortalLayers(layers);
    }

    public bool Contains(string name) => heights.ContainsKey(name);

    /// <summary>True when <paramref name="user"/> may use <paramref name="used"/>: it sits on a lower layer.</summary>
    public bool MayUse(string user, string used) => heights[used] < heights[user];

    public string Describe(string user, string used) =>
        heights[used] == heights[user] ? $"{used} sits beside {user}" : $"{used} sits above {user}";
}
