using Soci.Formats.Toc;

namespace Soci.Actors.Layers.Metadata;

/// <summary>Lexical path cleaning of tar names (algorithms §7): <c>clean("/" + p)</c> without the leading slash.</summary>
public static class LayerPath
{
    /// <summary>The cleaned path's components; empty for the root. <c>..</c> never climbs above the root.</summary>
    public static List<ByteString> Components(ByteString name)
    {
        var parts = new List<ByteString>();
        foreach (var range in name.Span.Split((byte)'/'))
        {
            var part = name.Span[range];
            if (part.IsEmpty || part.SequenceEqual("."u8))
            {
                continue;
            }
            if (part.SequenceEqual(".."u8))
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                continue;
            }
            parts.Add(ByteString.FromBytes(part));
        }
        return parts;
    }

    /// <summary>The cleaned path as one byte string (components joined with <c>/</c>).</summary>
    public static ByteString Clean(ByteString name) => Join(Components(name), Components(name).Count);

    /// <summary>The first <paramref name="count"/> components joined with <c>/</c>.</summary>
    public static ByteString Join(IReadOnlyList<ByteString> components, int count)
    {
        var length = Math.Max(0, count - 1);
        for (var i = 0; i < count; i++)
        {
            length += components[i].Length;
        }
        var bytes = new byte[length];
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                bytes[position++] = (byte)'/';
            }
            components[i].Span.CopyTo(bytes.AsSpan(position));
            position += components[i].Length;
        }
        return ByteString.FromBytes(bytes);
    }
}
