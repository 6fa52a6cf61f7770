namespace Soci.Actors.Containerd;

/// <summary>An image record in containerd: its name, the descriptor of its root manifest or index, and its labels.</summary>
public sealed record ContainerdImage(string Name, string MediaType, string Digest, long Size, IReadOnlyDictionary<string, string> Labels);
