using System.Text;

namespace Soci.Actors.Artifacts.Listing;

/// <summary>
/// Upstream's listing tables (cli.md §0): Go's tabwriter with min cell width 8, padding 4 and spaces, every row
/// ending with a tab, so each cell (the last one too) is padded to its column's width.
/// </summary>
public sealed class ElasticTable
{
    private const int MinWidth = 8;
    private const int Padding = 4;

    private readonly List<string[]> _rows = [];

    public ElasticTable(params string[] header) => _rows.Add(header);

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var columns = _rows.Max(row => row.Length);
        var widths = new int[columns];
        for (var column = 0; column < columns; column++)
        {
            widths[column] = Math.Max(MinWidth, _rows.Where(row => column < row.Length).Max(row => Width(row[column]) + Padding));
        }
        var text = new StringBuilder();
        foreach (var row in _rows)
        {
            for (var column = 0; column < row.Length; column++)
            {
                text.Append(row[column]).Append(' ', widths[column] - Width(row[column]));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>tabwriter measures cells in runes.</summary>
    private static int Width(string cell) => cell.EnumerateRunes().Count();
}
