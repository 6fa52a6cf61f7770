namespace Soci.Actors.Snapshotter.Filters;

/// <summary>A filter string that does not follow containerd's filter grammar; names the position and what was wrong.</summary>
public sealed class FilterSyntaxException(string filter, int position, string problem)
    : Exception($"invalid filter \"{filter}\" at position {position}: {problem}")
{
    public string Filter { get; } = filter;

    public int Position { get; } = position;
}
