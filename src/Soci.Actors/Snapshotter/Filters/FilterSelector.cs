using System.Text.RegularExpressions;

namespace Soci.Actors.Snapshotter.Filters;

/// <summary>One `fieldpath[op value]` term of a filter, matched the way containerd's filters package matches it.</summary>
public sealed record FilterSelector(IReadOnlyList<string> FieldPath, FilterOperator Operator, string Value)
{
    private Regex? _pattern;

    public bool Matches(Func<IReadOnlyList<string>, string?> field)
    {
        var value = field(FieldPath);
        return Operator switch
        {
            FilterOperator.Present => value is not null,
            FilterOperator.Equal => value is not null && value == Value,
            // containerd compares the empty string for an absent field, so `parent!=""` selects snapshots with a parent.
            FilterOperator.NotEqual => (value ?? "") != Value,
            FilterOperator.Matches => Pattern().IsMatch(value ?? ""),
            _ => false,
        };
    }

    private Regex Pattern() => _pattern ??= new Regex(Value, RegexOptions.CultureInvariant);
}
