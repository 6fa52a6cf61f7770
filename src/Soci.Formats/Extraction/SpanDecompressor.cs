using Soci.Formats.Compression;
using Soci.Formats.Interop;
using Soci.Formats.Toc;

namespace Soci.Formats.Extraction;

/// <summary>Inflates from a gzip checkpoint (algorithms §5.1): raw inflate primed with the leftover bits and the window.</summary>
public static class SpanDecompressor
{
    private const int GzipTrailerSize = 8;

    /// <summary>
    /// Decompresses starting at <paramref name="checkpoint"/>, whose compressed bytes begin at
    /// <paramref name="compressed"/>[0] (= StartCompressedOffset), discards <paramref name="skip"/> bytes and fills
    /// <paramref name="output"/>. Returns the bytes produced, fewer than requested if the data ends first.
    /// </summary>
    public static int Decompress(ReadOnlySpan<byte> compressed, GzipCheckpoint checkpoint, long skip, Span<byte> output)
    {
        if (compressed.IsEmpty)
        {
            throw new ZtocFormatException("no compressed data to decompress");
        }
        using var inflater = new Inflater(Inflater.RawWindowBits);
        var input = compressed;
        if (checkpoint.Bits != 0)
        {
            inflater.Prime(checkpoint.Bits, input[0] >> (8 - checkpoint.Bits));
            input = input[1..];
        }
        inflater.SetDictionary(checkpoint.Window.Span);

        var raw = true;
        Span<byte> discard = skip > 0 ? new byte[(int)Math.Min(skip, GzipCheckpoint.WindowSize)] : [];
        var produced = 0;
        while (produced < output.Length)
        {
            var target = skip > 0 ? discard[..(int)Math.Min(skip, discard.Length)] : output[produced..];
            var result = inflater.Inflate(input, target, ZlibNative.ZNoFlush);
            input = input[result.Consumed..];
            if (skip > 0)
            {
                skip -= result.Produced;
            }
            else
            {
                produced += result.Produced;
            }

            switch (result.Code)
            {
                case ZlibNative.ZOk:
                    continue;
                case ZlibNative.ZStreamEnd:
                    // The raw inflater does not consume the first member's trailer; later members are gzip-framed.
                    if (raw)
                    {
                        if (input.Length < GzipTrailerSize)
                        {
                            throw new ZtocFormatException("compressed data ends inside a gzip trailer");
                        }
                        input = input[GzipTrailerSize..];
                        raw = false;
                        if (input.IsEmpty)
                        {
                            return produced;
                        }
                        inflater.Reinitialize(Inflater.AutoHeaderWindowBits);
                    }
                    else
                    {
                        if (input.IsEmpty)
                        {
                            return produced;
                        }
                        inflater.Reset();
                    }
                    continue;
                case ZlibNative.ZBufError:
                    // No progress possible: the compressed range is exhausted.
                    return produced;
                default:
                    throw new ZtocFormatException($"invalid compressed data in span: {inflater.Describe(result.Code)}");
            }
        }
        return produced;
    }
}
