namespace Soci.Actors.Push;

/// <summary>What <c>soci push</c> does when the repository already has a v1 SOCI index for the manifest (<c>--existing-index</c>).</summary>
public enum ExistingIndexPolicy
{
    /// <summary>Warn and push anyway (upstream's default).</summary>
    Warn,

    /// <summary>Leave the repository as it is.</summary>
    Skip,

    /// <summary>Push without looking.</summary>
    Allow,
}

public static class ExistingIndexPolicies
{
    public static ExistingIndexPolicy Parse(string value) => value switch
    {
        "warn" => ExistingIndexPolicy.Warn,
        "skip" => ExistingIndexPolicy.Skip,
        "allow" => ExistingIndexPolicy.Allow,
        _ => throw new FormatException($"unexpected value for flag existing-index: {value}, expected types [warn skip allow]"),
    };
}
