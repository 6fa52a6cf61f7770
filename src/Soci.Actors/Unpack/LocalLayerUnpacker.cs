using System.IO.Compression;
using System.Text;
using Soci.Actors.Layers.Metadata;
using Soci.Formats.Tar;
using Soci.Formats.Toc;

namespace Soci.Actors.Unpack;

/// <summary>
/// The local fallback (algorithms §12): a layer blob already downloaded is decompressed (gzip through .NET's
/// zlib-ng-backed GZipStream, or a plain tar) and applied to a snapshot directory with owners, modes, xattrs, times,
/// hard links, devices and overlay whiteout conversion (<c>.wh.X</c> → 0:0 character device <c>X</c>,
/// <c>.wh..wh..opq</c> → <c>trusted.overlay.opaque=y</c>). Entries are confined to the directory: names are cleaned
/// lexically and never resolved through a symlink. The blob digest and the diffID are checked after the last byte;
/// on any failure the directory is left partly written and the caller discards it.
/// </summary>
public static class LocalLayerUnpacker
{
    private const string OpaqueXattr = "trusted.overlay.opaque";

    public static Task UnpackAsync(string blobPath, string destination, LocalUnpackOptions options, CancellationToken cancellationToken) =>
        Task.Run(() => Unpack(blobPath, destination, options, cancellationToken), cancellationToken);

    /// <exception cref="LayerUnpackException">Unsupported compression, a malformed or unsafe entry, or a digest mismatch.</exception>
    public static void Unpack(string blobPath, string destination, LocalUnpackOptions options, CancellationToken cancellationToken)
    {
        using var file = new FileStream(blobPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var blob = new TappedReadStream(file);
        using var decompressed = Decompress(blob, file);
        using var tar = new TappedReadStream(decompressed);
        try
        {
            new Applier(Path.GetFullPath(destination), tar).Run(cancellationToken);
        }
        catch (Exception error) when (error is TarFormatException or InvalidDataException)
        {
            throw new LayerUnpackException($"layer {blobPath} is not a valid tar stream: {error.Message}", error);
        }
        tar.Drain();
        blob.Drain();
        if (options.DiffId is { } diffId && tar.Digest() != diffId)
        {
            throw new LayerUnpackException($"uncompressed digests did not match: {tar.Digest()} instead of {diffId}");
        }
        if (options.BlobDigest is { } blobDigest && blob.Digest() != blobDigest)
        {
            throw new LayerUnpackException($"compressed digests did not match: {blob.Digest()} instead of {blobDigest}");
        }
    }

    private static Stream Decompress(TappedReadStream blob, FileStream file)
    {
        Span<byte> magic = stackalloc byte[4];
        var length = file.Read(magic);
        file.Position = 0;
        if (length >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return new GZipStream(blob, CompressionMode.Decompress, leaveOpen: true);
        }
        if (length == 4 && magic.SequenceEqual(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }))
        {
            throw new LayerUnpackException("zstd-compressed layers cannot be unpacked locally");
        }
        return new NonDisposingStream(blob);
    }

    /// <summary>Applies one tar stream to a directory.</summary>
    private sealed class Applier(string root, TappedReadStream tar)
    {
        private readonly Dictionary<string, ZtocTime> _directoryTimes = [];
        private (FileStream Stream, string Path, TarEntry Entry)? _pending;

        public void Run(CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(root);
            var reader = new TarReader(tar);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var entry = reader.Next();
                FinishPendingFile();
                if (entry is null)
                {
                    break;
                }
                Apply(entry);
            }
            // Directory times last (creating their children changed them); a repeated directory entry's time wins.
            foreach (var (path, time) in _directoryTimes)
            {
                UnpackNative.SetTimes(path, time.UnixSeconds, time.Nanoseconds);
            }
        }

        private void Apply(TarEntry entry)
        {
            var components = LayerPath.Components(entry.Name);
            if (components.Count == 0)
            {
                if (entry.Typeflag == (byte)'5')
                {
                    Describe(root, entry, chmod: true);
                    _directoryTimes[root] = entry.ModTime;
                }
                return;
            }
            var parent = EnsureParents(components);
            var name = components[^1];
            var path = Path.Combine(parent, Decode(name));
            if (Whiteouts.IsOpaqueMarker(name.Span))
            {
                UnpackNative.SetXattr(parent, OpaqueXattr, "y"u8);
                return;
            }
            if (Whiteouts.HasPrefix(name.Span) && entry.Typeflag != (byte)'5')
            {
                var target = Path.Combine(parent, Decode(Whiteouts.Target(name)));
                RemoveExisting(target, keepDirectory: false);
                UnpackNative.Mknod(target, UnpackNative.CharacterDevice, 0);
                UnpackNative.Lchown(target, (uint)entry.Uid, (uint)entry.Gid);
                return;
            }
            switch (entry.Typeflag)
            {
                case (byte)'5':
                    RemoveExisting(path, keepDirectory: true);
                    Directory.CreateDirectory(path);
                    Describe(path, entry, chmod: true);
                    _directoryTimes[path] = entry.ModTime;
                    break;
                case (byte)'0' or (byte)'7':
                    RemoveExisting(path, keepDirectory: false);
                    var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                    tar.Capture(entry.DataOffset, entry.Size, stream);
                    _pending = (stream, path, entry);
                    break;
                case (byte)'1':
                    RemoveExisting(path, keepDirectory: false);
                    UnpackNative.Link(Inside(entry.Linkname, entry.Name), path);
                    break;
                case (byte)'2':
                    RemoveExisting(path, keepDirectory: false);
                    File.CreateSymbolicLink(path, Decode(entry.Linkname));
                    Describe(path, entry, chmod: false);
                    break;
                case (byte)'3' or (byte)'4' or (byte)'6':
                    RemoveExisting(path, keepDirectory: false);
                    var type = entry.Typeflag switch { (byte)'3' => 0x2000u, (byte)'4' => 0x6000u, _ => 0x1000u };
                    UnpackNative.Mknod(path, type | (uint)(entry.Mode & 0xFFF), UnpackNative.MakeDevice((uint)entry.DevMajor, (uint)entry.DevMinor));
                    Describe(path, entry, chmod: true);
                    break;
                default:
                    throw new LayerUnpackException($"entry {entry.Name} has unsupported tar type '{(char)entry.Typeflag}'");
            }
        }

        private void FinishPendingFile()
        {
            if (_pending is not { } pending)
            {
                return;
            }
            _pending = null;
            tar.StopCapture();
            var written = pending.Stream.Length;
            pending.Stream.Dispose();
            if (written != pending.Entry.Size)
            {
                throw new LayerUnpackException($"entry {pending.Entry.Name} has {written} of {pending.Entry.Size} data bytes");
            }
            Describe(pending.Path, pending.Entry, chmod: true);
        }

        /// <summary>Owner, then mode (chown clears setuid bits), xattrs and times.</summary>
        private static void Describe(string path, TarEntry entry, bool chmod)
        {
            UnpackNative.Lchown(path, (uint)entry.Uid, (uint)entry.Gid);
            if (chmod)
            {
                UnpackNative.Chmod(path, (uint)(entry.Mode & 0xFFF));
            }
            foreach (var record in entry.PaxRecords)
            {
                if (record.Key.StartsWith(PaxRecord.XattrPrefix))
                {
                    UnpackNative.SetXattr(path, Encoding.UTF8.GetString(record.Key.Span[PaxRecord.XattrPrefix.Length..]), record.Value.Span);
                }
            }
            if (entry.Typeflag != (byte)'5')
            {
                UnpackNative.SetTimes(path, entry.ModTime.UnixSeconds, entry.ModTime.Nanoseconds);
            }
        }

        /// <summary>Creates missing parent directories (0755) and refuses to go through anything but real directories.</summary>
        private string EnsureParents(List<ByteString> components)
        {
            var path = root;
            for (var i = 0; i < components.Count - 1; i++)
            {
                path = Path.Combine(path, Decode(components[i]));
                var info = new FileInfo(path);
                if (info.LinkTarget is not null || (info.Exists && !info.Attributes.HasFlag(FileAttributes.Directory)))
                {
                    throw new LayerUnpackException($"{path} is not a directory (a symlink or file) but an entry is below it");
                }
                if (!Directory.Exists(path))
                {
                    Directory.CreateDirectory(path, (UnixFileMode)0x1ED);
                }
            }
            return path;
        }

        private string Inside(ByteString linkname, ByteString entryName)
        {
            var components = LayerPath.Components(linkname);
            if (components.Count == 0)
            {
                throw new LayerUnpackException($"hard link {entryName} has no target");
            }
            return Path.Combine([root, .. components.Select(Decode)]);
        }

        private static void RemoveExisting(string path, bool keepDirectory)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is null && Directory.Exists(path))
            {
                if (!keepDirectory)
                {
                    Directory.Delete(path, recursive: true);
                }
            }
            else if (info.Exists || info.LinkTarget is not null)
            {
                info.Delete();
            }
        }

        private static string Decode(ByteString name) => name.ToString();
    }

    /// <summary>Lets the tar stream wrapper be disposed without closing the blob stream under it twice.</summary>
    private sealed class NonDisposingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
