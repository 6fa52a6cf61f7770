using Soci.Formats.Compression;
using Soci.Formats.Json;

namespace Soci.Formats.Toc;

/// <summary>What <c>soci ztoc info</c> prints (cli.md §7), rendered exactly like upstream's indented JSON.</summary>
public static class ZtocInfo
{
    /// <param name="ztoc">A parsed ztoc (files sorted by data offset).</param>
    /// <param name="ztocSize">Size of the ztoc blob in bytes.</param>
    public static string Render(Ztoc ztoc, long ztocSize)
    {
        var zinfo = Zinfo.FromZtoc(ztoc);
        var spans = ztoc.Files.Select(f => (File: f, Start: zinfo.SpanOf(f.UncompressedOffset), End: zinfo.SpanOf(f.UncompressedOffset + f.UncompressedSize))).ToList();

        var json = new GoJsonWriter(indent: "  ").StartObject()
            .Property("version", ztoc.Version)
            .PropertyName("build_tool").String(ztoc.BuildToolIdentifier.Span)
            .Property("size", ztocSize)
            .Property("span_size", zinfo.SpanSize)
            .Property("num_spans", ztoc.MaxSpanId + 1)
            .Property("num_files", ztoc.Files.Count)
            .Property("num_multi_span_files", spans.Count(s => s.Start != s.End))
            .PropertyName("files");
        if (spans.Count == 0)
        {
            json.Null();
        }
        else
        {
            json.StartArray();
            foreach (var (file, start, end) in spans)
            {
                json.StartObject()
                    .PropertyName("filename").String(file.Name.Span)
                    .Property("offset", file.UncompressedOffset)
                    .Property("size", file.UncompressedSize)
                    .PropertyName("type").String(file.Type.Span)
                    .Property("start_span", start)
                    .Property("end_span", end)
                    .EndObject();
            }
            json.EndArray();
        }
        return json.EndObject().ToString();
    }
}
