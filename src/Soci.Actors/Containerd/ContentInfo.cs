namespace Soci.Actors.Containerd;

/// <summary>A blob in containerd's content store: its digest, size and labels.</summary>
public sealed record ContentInfo(string Digest, long Size, IReadOnlyDictionary<string, string> Labels);
