using System.Text.Json;

namespace Soci.Formats.Tests;

/// <summary>The upstream-built ztocs and their layers (Compat/README.md), enumerated for theories.</summary>
public static class CompatFixtures
{
    public static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Compat");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static JsonElement Manifest { get; } = JsonDocument.Parse(File.ReadAllText(PathOf("manifest.json"))).RootElement;

    public static IEnumerable<(JsonElement Layer, JsonElement Ztoc)> Ztocs =>
        Manifest.GetProperty("layers").EnumerateArray()
            .SelectMany(layer => layer.GetProperty("ztocs").EnumerateArray().Select(ztoc => (layer, ztoc)));

    /// <summary>Theory data: (layer file, ztoc file) relative to Compat/.</summary>
    public static TheoryData<string, string> LayerAndZtoc()
    {
        var data = new TheoryData<string, string>();
        foreach (var (layer, ztoc) in Ztocs)
        {
            data.Add(layer.GetProperty("layer").GetString()!, ztoc.GetProperty("ztoc").GetString()!);
        }
        return data;
    }

    public static JsonElement ZtocEntry(string ztocFile) =>
        Ztocs.Single(z => z.Ztoc.GetProperty("ztoc").GetString() == ztocFile).Ztoc;

    public static JsonElement LayerEntry(string layerFile) =>
        Manifest.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("layer").GetString() == layerFile);

    public static JsonElement Dump(string ztocFile) =>
        JsonDocument.Parse(File.ReadAllText(PathOf(ZtocEntry(ztocFile).GetProperty("dump_json").GetString()!))).RootElement;
}
