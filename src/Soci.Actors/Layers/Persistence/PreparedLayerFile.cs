using System.Security.Cryptography;
using Soci.Actors.Layers.Metadata;
using Soci.Actors.Layers.Spans;
using Soci.Formats.Toc;

namespace Soci.Actors.Layers.Persistence;

/// <summary>
/// The stored form of a <see cref="PreparedLayer"/>: one file per ztoc holding the packed metadata tables, the span
/// table with its compressed checkpoint windows and the span digests, field by field in little-endian order,
/// followed by the sha256 of everything before it. A file that is truncated, corrupt, of another format version or
/// of another ztoc is refused as a whole (the caller prepares the layer from its ztoc again), so a bad file can
/// never serve wrong metadata.
/// </summary>
public static class PreparedLayerFile
{
    private const long Magic = 0x3152594C49434F53; // "SOCILYR1"
    private const int FormatVersion = 1;
    private const int ChecksumLength = 32;

    /// <summary>Writes the file atomically (a temporary file renamed over <paramref name="path"/>).</summary>
    public static void Write(string path, string ztocDigest, PreparedLayer layer)
    {
        using var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(ztocDigest);
            writer.Write(layer.CompressedSize);
            WriteMetadata(writer, layer.Metadata);
            WriteSpans(writer, layer.Spans);
            writer.Write(layer.SpanDigests.Count);
            foreach (var digest in layer.SpanDigests)
            {
                writer.Write(digest);
            }
        }
        content.Write(SHA256.HashData(content.GetBuffer().AsSpan(0, (int)content.Length)));

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temporary, content.GetBuffer().AsSpan(0, (int)content.Length));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Reads the prepared layer of <paramref name="ztocDigest"/> back.</summary>
    /// <exception cref="InvalidDataException">The file is not a complete, intact prepared layer of that ztoc.</exception>
    public static PreparedLayer Read(string path, string ztocDigest)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < ChecksumLength || !SHA256.HashData(bytes.AsSpan(0, bytes.Length - ChecksumLength)).AsSpan().SequenceEqual(bytes.AsSpan(^ChecksumLength)))
        {
            throw new InvalidDataException($"prepared layer file {path} is truncated or corrupt (checksum mismatch)");
        }
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - ChecksumLength, writable: false));
            var magic = reader.ReadInt64();
            var version = reader.ReadInt32();
            if (magic != Magic || version != FormatVersion)
            {
                throw new InvalidDataException($"prepared layer file {path} is not of format version {FormatVersion}");
            }
            var storedDigest = reader.ReadString();
            if (storedDigest != ztocDigest)
            {
                throw new InvalidDataException($"prepared layer file {path} belongs to ztoc {storedDigest}, not {ztocDigest}");
            }
            var compressedSize = reader.ReadInt64();
            var metadata = ReadMetadata(reader);
            var spans = ReadSpans(reader);
            var digests = new string[ReadCount(reader)];
            for (var i = 0; i < digests.Length; i++)
            {
                digests[i] = reader.ReadString();
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw new InvalidDataException("bytes follow the span digests");
            }
            return new PreparedLayer(compressedSize, metadata, spans, digests);
        }
        catch (Exception error) when (error is EndOfStreamException or ArgumentException or InvalidDataException or OverflowException)
        {
            throw new InvalidDataException($"prepared layer file {path} is malformed: {error.Message}", error);
        }
    }

    private static void WriteMetadata(BinaryWriter writer, LayerMetadata metadata)
    {
        writer.Write(metadata.Nodes.Length);
        foreach (ref readonly var node in metadata.Nodes)
        {
            writer.Write(node.Size);
            writer.Write(node.DataOffset);
            writer.Write(node.ModTimeSeconds);
            writer.Write(node.ModTimeNanoseconds);
            writer.Write(node.Mode);
            writer.Write(node.Uid);
            writer.Write(node.Gid);
            writer.Write(node.LinkCount);
            writer.Write(node.FirstChild);
            writer.Write(node.ChildCount);
            writer.Write(node.IsWhiteout);
        }
        writer.Write(metadata.Children.Length);
        foreach (ref readonly var child in metadata.Children)
        {
            writer.Write(child.NameOffset);
            writer.Write(child.NameLength);
            writer.Write(child.Node);
        }
        writer.Write(metadata.Strings.Length);
        writer.Write(metadata.Strings);
        writer.Write(metadata.LinkNames.Count);
        foreach (var (node, target) in metadata.LinkNames)
        {
            writer.Write(node);
            writer.Write(target.Offset);
            writer.Write(target.Length);
        }
        writer.Write(metadata.Devices.Count);
        foreach (var (node, device) in metadata.Devices)
        {
            writer.Write(node);
            writer.Write(device.Major);
            writer.Write(device.Minor);
        }
        writer.Write(metadata.AllXattrs.Count);
        foreach (var (node, xattrs) in metadata.AllXattrs)
        {
            writer.Write(node);
            writer.Write(xattrs.Count);
            foreach (var (name, value) in xattrs)
            {
                writer.Write(name);
                writer.Write(value.Length);
                writer.Write(value.Span);
            }
        }
    }

    private static LayerMetadata ReadMetadata(BinaryReader reader)
    {
        var nodes = new NodeRecord[ReadCount(reader)];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = new NodeRecord
            {
                Size = reader.ReadInt64(),
                DataOffset = reader.ReadInt64(),
                ModTimeSeconds = reader.ReadInt64(),
                ModTimeNanoseconds = reader.ReadInt32(),
                Mode = reader.ReadUInt32(),
                Uid = reader.ReadUInt32(),
                Gid = reader.ReadUInt32(),
                LinkCount = reader.ReadInt32(),
                FirstChild = reader.ReadInt32(),
                ChildCount = reader.ReadInt32(),
                IsWhiteout = reader.ReadBoolean(),
            };
        }
        var children = new ChildRecord[ReadCount(reader)];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = new ChildRecord(reader.ReadInt32(), reader.ReadInt32(), reader.ReadUInt32());
        }
        var strings = ReadBytes(reader);
        var linkNames = new Dictionary<uint, StringRef>();
        for (var count = ReadCount(reader); count > 0; count--)
        {
            linkNames.Add(reader.ReadUInt32(), new StringRef(reader.ReadInt32(), reader.ReadInt32()));
        }
        var devices = new Dictionary<uint, DeviceNumbers>();
        for (var count = ReadCount(reader); count > 0; count--)
        {
            devices.Add(reader.ReadUInt32(), new DeviceNumbers(reader.ReadUInt32(), reader.ReadUInt32()));
        }
        var xattrs = new Dictionary<uint, IReadOnlyDictionary<string, ByteString>>();
        for (var count = ReadCount(reader); count > 0; count--)
        {
            var node = reader.ReadUInt32();
            var values = new Dictionary<string, ByteString>();
            for (var entries = ReadCount(reader); entries > 0; entries--)
            {
                values.Add(reader.ReadString(), ByteString.FromBytes(ReadBytes(reader)));
            }
            xattrs.Add(node, values);
        }
        CheckReferences(nodes, children, strings.Length, linkNames.Values);
        return new LayerMetadata(nodes, children, strings, linkNames, devices, xattrs);
    }

    /// <summary>Every child run, node id and string reference must lie inside its table, so no lookup can go out of range.</summary>
    private static void CheckReferences(NodeRecord[] nodes, ChildRecord[] children, int stringsLength, IEnumerable<StringRef> linkNames)
    {
        if (nodes.Length == 0)
        {
            throw new InvalidDataException("no root node");
        }
        foreach (var node in nodes)
        {
            if (node.FirstChild < 0 || node.ChildCount < 0 || (long)node.FirstChild + node.ChildCount > children.Length)
            {
                throw new InvalidDataException("a directory's entries lie outside the child table");
            }
        }
        foreach (var child in children)
        {
            if (child.Node < 1 || child.Node > nodes.Length)
            {
                throw new InvalidDataException($"a directory entry names node {child.Node} of {nodes.Length}");
            }
            CheckString(child.NameOffset, child.NameLength, stringsLength);
        }
        foreach (var target in linkNames)
        {
            CheckString(target.Offset, target.Length, stringsLength);
        }
    }

    private static void CheckString(int offset, int length, int stringsLength)
    {
        if (offset < 0 || length < 0 || (long)offset + length > stringsLength)
        {
            throw new InvalidDataException("a name lies outside the string table");
        }
    }

    private static void WriteSpans(BinaryWriter writer, SpanTable spans)
    {
        writer.Write(spans.UncompressedSize);
        writer.Write(spans.Extents.Length);
        foreach (ref readonly var extent in spans.Extents)
        {
            writer.Write(extent.CompressedStart);
            writer.Write(extent.CompressedEnd);
            writer.Write(extent.UncompressedStart);
            writer.Write(extent.UncompressedEnd);
        }
        writer.Write(spans.IsGzip);
        foreach (ref readonly var checkpoint in spans.PackedCheckpoints)
        {
            writer.Write(checkpoint.In);
            writer.Write(checkpoint.Out);
            writer.Write(checkpoint.Bits);
            writer.Write(checkpoint.Window.Length);
            writer.Write(checkpoint.Window);
        }
    }

    private static SpanTable ReadSpans(BinaryReader reader)
    {
        var uncompressedSize = reader.ReadInt64();
        var extents = new SpanTable.Extent[ReadCount(reader)];
        for (var i = 0; i < extents.Length; i++)
        {
            extents[i] = new SpanTable.Extent(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
        }
        SpanTable.PackedCheckpoint[]? checkpoints = null;
        if (reader.ReadBoolean())
        {
            checkpoints = new SpanTable.PackedCheckpoint[extents.Length];
            for (var i = 0; i < checkpoints.Length; i++)
            {
                checkpoints[i] = new SpanTable.PackedCheckpoint(reader.ReadInt64(), reader.ReadInt64(), reader.ReadByte(), ReadBytes(reader));
            }
        }
        return new SpanTable(uncompressedSize, extents, checkpoints);
    }

    private static byte[] ReadBytes(BinaryReader reader)
    {
        var length = ReadCount(reader);
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
        {
            throw new EndOfStreamException($"{length} bytes announced, {bytes.Length} stored");
        }
        return bytes;
    }

    /// <summary>A count or length, which can never exceed the bytes left (every element takes at least one).</summary>
    private static int ReadCount(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"count {count} does not fit the file");
        }
        return count;
    }
}
