using System.Text;

namespace Shear.Experiments.Reports;

/// <summary>Renders <c>results.md</c>: per-model tables (dense row first), figure links and the environment footer.</summary>
internal static class MarkdownReport
{
    /// <summary>The Markdown text.</summary>
    public static string Render(ReportData data)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Escape(data.Title)).AppendLine();
        md.AppendLine(data.Summary).AppendLine();
        foreach (string model in data.Models)
        {
            md.Append("## ").AppendLine(Escape(model)).AppendLine();
            md.AppendLine(Escape(data.Context(model))).AppendLine();
            md.Append("| ").AppendJoin(" | ", ReportData.Headings).AppendLine(" |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var row in data.RowsOf(model))
            {
                md.Append("| ").AppendJoin(" | ", data.Cells(row).Select(Escape)).AppendLine(" |");
            }
            md.AppendLine();
            foreach (var figure in data.FiguresOf(model))
            {
                md.Append("![").Append(Escape(figure.Caption)).Append("](").Append(figure.Png).Append(") ([SVG](")
                    .Append(figure.Svg).AppendLine("))").AppendLine();
            }
        }
        md.AppendLine("## Environment").AppendLine();
        foreach (string line in data.Environments)
        {
            md.Append("- ").AppendLine(Escape(line));
        }
        return md.ToString();
    }

    /// <summary>Escapes the characters that would break a table cell or start emphasis.</summary>
    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("*", "\\*", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);
}
