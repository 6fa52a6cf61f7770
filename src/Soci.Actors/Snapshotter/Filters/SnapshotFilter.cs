namespace Soci.Actors.Snapshotter.Filters;

/// <summary>
/// containerd's filter semantics for List/Walk: a request carries any number of filter strings, and a snapshot is
/// listed if it matches at least one of them (none = everything); within one string, the comma-separated selectors
/// must all match.
/// </summary>
public sealed class SnapshotFilter
{
    private readonly IReadOnlyList<IReadOnlyList<FilterSelector>> _alternatives;

    private SnapshotFilter(IReadOnlyList<IReadOnlyList<FilterSelector>> alternatives) => _alternatives = alternatives;

    public static SnapshotFilter Parse(IEnumerable<string> filters) =>
        new(filters.Select(FilterParser.Parse).ToList());

    public bool Matches(SnapshotInfo snapshot)
    {
        if (_alternatives.Count == 0)
        {
            return true;
        }

        string? Field(IReadOnlyList<string> path) => FieldOf(snapshot, path);
        return _alternatives.Any(selectors => selectors.All(selector => selector.Matches(Field)));
    }

    /// <summary>The fields containerd exposes to snapshot filters: kind, name, parent and labels.&lt;key&gt;.</summary>
    private static string? FieldOf(SnapshotInfo snapshot, IReadOnlyList<string> path) => path[0] switch
    {
        "kind" => snapshot.Kind.ToString().ToLowerInvariant(),
        "name" => snapshot.Name,
        "parent" => snapshot.Parent,
        "labels" when snapshot.Labels.Count > 0 =>
            snapshot.Labels.TryGetValue(string.Join('.', path.Skip(1)), out var value) ? value : null,
        _ => null,
    };
}
