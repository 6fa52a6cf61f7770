using Soci.Actors.Layers.Metadata;
using Soci.Formats.Toc;

namespace Soci.Actors.Layers.FileSystem;

/// <summary>
/// A directory's entries as readdir presents them (algorithms §8.2): sorted by name bytes, <c>.wh.&lt;X&gt;</c>
/// shown as <c>X</c> unless a real <c>X</c> exists, the opaque marker hidden. Built once per directory.
/// </summary>
internal sealed class DirectoryListing
{
    private DirectoryListing(ByteString[] names, LayerNode[] nodes) => (Names, Nodes) = (names, nodes);

    public ByteString[] Names { get; }

    public LayerNode[] Nodes { get; }

    public static DirectoryListing Of(LayerNode directory)
    {
        var entries = new List<(ByteString Name, LayerNode Node)>(directory.ChildCount);
        for (var i = 0; i < directory.ChildCount; i++)
        {
            var name = directory.ChildName(i);
            if (!Whiteouts.HasPrefix(name))
            {
                entries.Add((ByteString.FromBytes(name), directory.Child(i)));
            }
            else if (!Whiteouts.IsOpaqueMarker(name))
            {
                var target = name[Whiteouts.Prefix.Length..];
                if (!target.IsEmpty && !directory.TryGetChild(target, out _))
                {
                    entries.Add((ByteString.FromBytes(target), directory.Child(i)));
                }
            }
        }
        entries.Sort((a, b) => a.Name.CompareTo(b.Name));
        return new DirectoryListing([.. entries.Select(e => e.Name)], [.. entries.Select(e => e.Node)]);
    }
}
