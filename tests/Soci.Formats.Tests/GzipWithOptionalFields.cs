using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Soci.Formats.Tests;

/// <summary>Writes gzip members with FEXTRA/FNAME/FCOMMENT header fields, which GZipStream never emits.</summary>
public static class GzipWithOptionalFields
{
    public static byte[] Header(byte[] extra, string name, string comment)
    {
        var header = new List<byte> { 0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 255 };
        header.Add((byte)extra.Length);
        header.Add((byte)(extra.Length >> 8));
        header.AddRange(extra);
        header.AddRange(Encoding.Latin1.GetBytes(name));
        header.Add(0);
        header.AddRange(Encoding.Latin1.GetBytes(comment));
        header.Add(0);
        return [.. header];
    }

    public static byte[] Compress(byte[] data, byte[] header)
    {
        using var deflated = new MemoryStream();
        using (var deflate = new DeflateStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data);
        }
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), (uint)data.Length);
        return [.. header, .. deflated.ToArray(), .. trailer];
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xffffffffu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
