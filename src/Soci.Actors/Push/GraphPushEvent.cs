namespace Soci.Actors.Push;

/// <summary>What happened to one node of a pushed graph (upstream prints a line for each).</summary>
public enum GraphPushEvent
{
    Pushing,
    Pushed,
    Skipped,
}
