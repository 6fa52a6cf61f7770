using System.Runtime.InteropServices;

namespace Soci.Formats.Interop;

/// <summary>
/// One zlib inflate stream. The <c>z_stream</c> lives in native memory because zlib checks that the
/// stream address does not change between calls; managed buffers are only pinned for the duration of a call.
/// </summary>
internal sealed unsafe class Inflater : IDisposable
{
    /// <summary>Raw deflate, no header (used when resuming from a checkpoint).</summary>
    public const int RawWindowBits = -15;

    /// <summary>Gzip or zlib header, detected automatically.</summary>
    public const int AutoHeaderWindowBits = 47;

    private ZStream* _stream;

    static Inflater()
    {
        if (sizeof(ZStream) != ZStream.ExpectedSize)
        {
            throw new PlatformNotSupportedException($"z_stream is {sizeof(ZStream)} bytes, expected {ZStream.ExpectedSize}");
        }
    }

    public Inflater(int windowBits)
    {
        _stream = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
        Init(windowBits);
    }

    /// <summary>Starts a fresh stream with (possibly) different header handling.</summary>
    public void Reinitialize(int windowBits)
    {
        ZlibNative.InflateEnd(Stream);
        NativeMemory.Clear(_stream, (nuint)sizeof(ZStream));
        Init(windowBits);
    }

    /// <summary>Starts the next member of a multi-member stream with the same header handling.</summary>
    public void Reset() => Check(ZlibNative.InflateReset(Stream), "inflateReset");

    /// <summary>
    /// Stops zlib computing and checking the gzip trailer's CRC-32 (zlib ≥ 1.2.9), for a caller that checks it
    /// itself with a faster CRC; the trailer is still parsed.
    /// </summary>
    public void SkipCheckValue() => Check(ZlibNative.InflateValidate(Stream, 0), "inflateValidate");

    public void Prime(int bits, int value) => Check(ZlibNative.InflatePrime(Stream, bits, value), "inflatePrime");

    public void SetDictionary(ReadOnlySpan<byte> dictionary)
    {
        fixed (byte* dict = dictionary)
        {
            Check(ZlibNative.InflateSetDictionary(Stream, dict, (uint)dictionary.Length), "inflateSetDictionary");
        }
    }

    /// <summary>Runs one <c>inflate</c> call. Errors are returned as codes; <see cref="LastMessage"/> explains them.</summary>
    public InflateResult Inflate(ReadOnlySpan<byte> input, Span<byte> output, int flush)
    {
        var stream = Stream;
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            stream->NextIn = inPtr;
            stream->AvailIn = (uint)input.Length;
            stream->NextOut = outPtr;
            stream->AvailOut = (uint)output.Length;
            var code = ZlibNative.Inflate(stream, flush);
            var result = new InflateResult(
                code,
                input.Length - (int)stream->AvailIn,
                output.Length - (int)stream->AvailOut,
                stream->DataType);
            stream->NextIn = null;
            stream->NextOut = null;
            stream->AvailIn = 0;
            stream->AvailOut = 0;
            return result;
        }
    }

    /// <summary>zlib's message for the last error, or the numeric code when zlib gave none.</summary>
    public string Describe(int code)
    {
        var msg = Stream->Msg;
        return msg == null ? $"zlib error {code}" : Marshal.PtrToStringUTF8((nint)msg) ?? $"zlib error {code}";
    }

    public void Dispose()
    {
        if (_stream != null)
        {
            ZlibNative.InflateEnd(_stream);
            NativeMemory.Free(_stream);
            _stream = null;
        }
    }

    private ZStream* Stream => _stream != null ? _stream : throw new ObjectDisposedException(nameof(Inflater));

    private void Init(int windowBits)
    {
        fixed (byte* version = ZlibNative.Version)
        {
            Check(ZlibNative.InflateInit2(_stream, windowBits, version, sizeof(ZStream)), "inflateInit2");
        }
    }

    private void Check(int code, string operation)
    {
        if (code != ZlibNative.ZOk)
        {
            throw new InvalidOperationException($"{operation} failed: {Describe(code)}");
        }
    }
}
