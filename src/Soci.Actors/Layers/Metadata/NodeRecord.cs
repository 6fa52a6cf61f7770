namespace Soci.Actors.Layers.Metadata;

/// <summary>
/// The attributes of one node in a layer's flat metadata store: a plain struct in one array per layer, so a node
/// costs no object header, no references for the GC to trace and no per-node strings.
/// </summary>
internal struct NodeRecord
{
    public long Size;
    public long DataOffset;
    public long ModTimeSeconds;
    public uint Mode;
    public uint Uid;
    public uint Gid;
    public uint DevMajor;
    public uint DevMinor;
    public int ModTimeNanoseconds;
    public int LinkCount;
    /// <summary>The link target's bytes in the layer's string table.</summary>
    public int LinkNameOffset;
    public int LinkNameLength;
    /// <summary>The node's children: <see cref="ChildCount"/> entries of the child table from here, sorted by name.</summary>
    public int FirstChild;
    public int ChildCount;
    public bool IsWhiteout;
}

/// <summary>One directory entry in a layer's flat metadata store: a name in the string table and the node it names.</summary>
internal readonly record struct ChildRecord(int NameOffset, int NameLength, uint Node);
