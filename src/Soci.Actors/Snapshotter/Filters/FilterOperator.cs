namespace Soci.Actors.Snapshotter.Filters;

public enum FilterOperator
{
    /// <summary>No operator: the field path must be present.</summary>
    Present,
    Equal,
    NotEqual,
    Matches,
}
