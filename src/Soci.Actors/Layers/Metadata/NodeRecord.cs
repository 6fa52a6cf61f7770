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
    public int ModTimeNanoseconds;
    public int LinkCount;
    /// <summary>The node's children: <see cref="ChildCount"/> entries of the child table from here, sorted by name.</summary>
    public int FirstChild;
    public int ChildCount;
    public bool IsWhiteout;
}

/// <summary>One directory entry in a layer's flat metadata store: a name in the string table and the node it names.</summary>
internal readonly record struct ChildRecord(int NameOffset, int NameLength, uint Node);

/// <summary>Bytes of a layer's string table (a link target).</summary>
internal readonly record struct StringRef(int Offset, int Length);

/// <summary>A device node's major and minor numbers.</summary>
internal readonly record struct DeviceNumbers(uint Major, uint Minor);
