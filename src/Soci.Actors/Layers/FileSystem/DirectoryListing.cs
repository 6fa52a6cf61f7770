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
        var entries = new List<(ByteString Name, LayerNode Node)>(directory.Children.Count);
        foreach (var (name, node) in directory.Children)
        {
            if (!Whiteouts.HasPrefix(name.Span))
            {
                entries.Add((name, node));
            }
            else if (!Whiteouts.IsOpaqueMarker(name.Span))
            {
                var target = Whiteouts.Target(name);
                if (!target.IsEmpty && !directory.Children.ContainsKey(target))
                {
                    entries.Add((target, node));
                }
            }
        }
        entries.Sort((a, b) => a.Name.CompareTo(b.Name));
        return new DirectoryListing([.. entries.Select(e => e.Name)], [.. entries.Select(e => e.Node)]);
    }
}
