using System.Buffers.Binary;

namespace Soci.Formats.Toc;

/// <summary>
/// A bounds-checked FlatBuffers reader: every offset is validated against the buffer before use, so
/// arbitrary bytes fail with a <see cref="ZtocFormatException"/> instead of reading out of range.
/// </summary>
internal sealed class FlatBufferReader
{
    private readonly ReadOnlyMemory<byte> _buffer;
    private readonly string _what;

    public FlatBufferReader(ReadOnlyMemory<byte> buffer, string what)
    {
        _buffer = buffer;
        _what = what;
    }

    private ReadOnlySpan<byte> Bytes => _buffer.Span;

    /// <summary>Position of the root table.</summary>
    public int Root() => Deref(0);

    /// <summary>Absolute position of a table field, or −1 when absent.</summary>
    public int Field(int table, int id)
    {
        var vtable = (long)table - ReadInt32(table);
        Require(vtable >= 0 && vtable + 4 <= Bytes.Length, "vtable out of range");
        var vtableSize = ReadUInt16((int)vtable);
        var tableSize = ReadUInt16((int)vtable + 2);
        Require(vtableSize >= 4 && vtableSize % 2 == 0 && vtable + vtableSize <= Bytes.Length, "bad vtable size");
        Require((long)table + tableSize <= Bytes.Length, "table out of range");
        var slot = 4 + (2 * id);
        if (slot + 2 > vtableSize)
        {
            return -1;
        }
        var offset = ReadUInt16((int)vtable + slot);
        if (offset == 0)
        {
            return -1;
        }
        Require(offset >= 4 && offset < tableSize, "field outside its table");
        return table + offset;
    }

    public long ReadLong(int table, int id, long defaultValue)
    {
        var pos = Field(table, id);
        if (pos < 0)
        {
            return defaultValue;
        }
        Require(pos + 8 <= Bytes.Length, "long field out of range");
        return BinaryPrimitives.ReadInt64LittleEndian(Bytes[pos..]);
    }

    public int ReadInt(int table, int id, int defaultValue)
    {
        var pos = Field(table, id);
        return pos < 0 ? defaultValue : ReadInt32(pos);
    }

    public uint ReadUInt(int table, int id, uint defaultValue)
    {
        var pos = Field(table, id);
        return pos < 0 ? defaultValue : (uint)ReadInt32(pos);
    }

    public sbyte ReadSByte(int table, int id, sbyte defaultValue)
    {
        var pos = Field(table, id);
        if (pos < 0)
        {
            return defaultValue;
        }
        Require(pos < Bytes.Length, "byte field out of range");
        return (sbyte)Bytes[pos];
    }

    /// <summary>Position of a sub-table, or −1 when absent.</summary>
    public int Table(int table, int id)
    {
        var pos = Field(table, id);
        return pos < 0 ? -1 : Deref(pos);
    }

    /// <summary>String field bytes; empty when absent.</summary>
    public ReadOnlySpan<byte> String(int table, int id)
    {
        var pos = Field(table, id);
        return pos < 0 ? [] : StringAt(Deref(pos));
    }

    public ReadOnlyMemory<byte> StringMemory(int table, int id)
    {
        var pos = Field(table, id);
        if (pos < 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        var (start, length) = Vector(Deref(pos), 1);
        return _buffer.Slice(start, length);
    }

    /// <summary>Start position and element count of a vector field; (0, 0) when absent.</summary>
    public (int Start, int Count) VectorField(int table, int id, int elementSize)
    {
        var pos = Field(table, id);
        return pos < 0 ? (0, 0) : Vector(Deref(pos), elementSize);
    }

    /// <summary>Follows the uoffset stored at <paramref name="position"/> (vector elements, fields).</summary>
    public int Deref(int position)
    {
        var target = (long)position + (uint)ReadInt32(position);
        Require(target + 4 <= Bytes.Length, "offset out of range");
        return (int)target;
    }

    public ReadOnlySpan<byte> StringAt(int position)
    {
        var (start, length) = Vector(position, 1);
        return Bytes.Slice(start, length);
    }

    public ReadOnlyMemory<byte> Slice(int start, int length) => _buffer.Slice(start, length);

    private (int Start, int Count) Vector(int position, int elementSize)
    {
        var count = (uint)ReadInt32(position);
        var start = (long)position + 4;
        Require(start + ((long)count * elementSize) <= Bytes.Length, "vector out of range");
        return ((int)start, (int)count);
    }

    private int ReadInt32(int position)
    {
        Require(position >= 0 && (long)position + 4 <= Bytes.Length, "read out of range");
        return BinaryPrimitives.ReadInt32LittleEndian(Bytes[position..]);
    }

    private int ReadUInt16(int position)
    {
        Require(position >= 0 && (long)position + 2 <= Bytes.Length, "read out of range");
        return BinaryPrimitives.ReadUInt16LittleEndian(Bytes[position..]);
    }

    private void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new ZtocFormatException($"cannot unmarshal {_what}: {problem}");
        }
    }
}
