namespace Soci.Formats.Tar;

/// <summary>
/// A forward-only stream that can pass over bytes without copying them out, so the tar reader skips entry data
/// (nearly all of a layer) without a copy.
/// </summary>
internal interface ISkippableStream
{
    /// <summary>Passes over up to <paramref name="count"/> bytes; returns fewer only at the end of the stream.</summary>
    long Skip(long count);
}
