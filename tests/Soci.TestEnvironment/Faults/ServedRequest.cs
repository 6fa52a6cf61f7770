namespace Soci.TestEnvironment.Faults;

/// <summary>One request the proxy saw: what was asked, which fault (if any) hit it and how many body bytes went out.</summary>
public sealed record ServedRequest(string Method, string Path, string? Range, int Status, long BodyBytes, FaultKind? Fault);
