using System.Security.Cryptography;
using Soci.Fuse.FileSystem;

namespace Soci.Fuse.Tests.Support;

/// <summary>A small tree with every node type, inode numbers starting at 4 like the lazy layer's root.</summary>
public static class SampleTree
{
    public const ulong RootInode = 4;
    public const long BigSize = 3 * 1024 * 1024 + 123;

    public static byte[] Block { get; } = RandomNumberGenerator.GetBytes(65521);

    public static MemoryFileSystem Create()
    {
        var fs = new MemoryFileSystem(RootInode);
        fs.AddFile("hello.txt", "hello, fuse\n");
        var big = fs.AddFile("data/big.bin", new RepeatingContent(Block, BigSize));
        big.Attributes.Uid = 1234;
        big.Attributes.Gid = 5678;
        big.Attributes.Mtime = new FuseTime(1_700_000_000, 0);
        fs.AddFile("data/nested/deep.txt", "deep\n", permissions: 0x124);
        fs.AddSymlink("link-to-hello", "hello.txt");
        fs.AddSpecial("dev/null-like", FileModes.Character | 0x1B6, 1, 3);
        fs.AddDirectory("empty");
        return fs;
    }

    public static string Sha256Of(IFileContent content)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long offset = 0; offset < content.Length;)
        {
            var n = content.Read(offset, buffer);
            hash.AppendData(buffer, 0, n);
            offset += n;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
