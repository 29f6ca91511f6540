using Shear.Experiments.Results;
using Shear.IO;
using Shear.Masks;

namespace Shear.Experiments.Reports;

/// <summary>
/// Writes a self-contained report folder from finished runs: <c>index.html</c>, <c>results.md</c>, <c>report.json</c> and
/// <c>figures/*.png|svg</c>. Every file is written through <see cref="AtomicFile"/>, and <c>index.html</c> last, so an
/// interrupted write never leaves a half-written file or a page whose figures are not there yet.
/// </summary>
public static class ReportWriter
{
    /// <summary>Name of the HTML page.</summary>
    public const string IndexFile = "index.html";

    /// <summary>Name of the Markdown tables.</summary>
    public const string MarkdownFile = "results.md";

    /// <summary>Name of the aggregated numbers.</summary>
    public const string JsonFile = "report.json";

    /// <summary>Writes the report of <paramref name="records"/> into <see cref="ReportOptions.OutputDirectory"/>.</summary>
    /// <exception cref="ArgumentException">No records, or <see cref="ReportOptions.Sparsity"/> is not a target of any run.</exception>
    public static ReportOutput Write(IReadOnlyList<ResultRecord> records, ReportOptions options)
    {
        if (records.Count == 0)
        {
            throw new ArgumentException("no results to report", nameof(records));
        }
        string root = Path.GetFullPath(options.OutputDirectory);
        double sparsity = ChooseSparsity(records, options.Sparsity);
        var rows = ReportAggregation.Rows(records);
        var style = new ReportStyle(rows, ReportAggregation.ByExperiment(records));
        var figures = Draw(records, rows, sparsity, style);
        var files = new List<string>();
        foreach (var figure in figures)
        {
            using (figure.Plot)
            {
                files.AddRange(figure.Save(root));
            }
        }
        var data = new ReportData(options.Title, records, rows, sparsity, figures, style);
        string markdown = Path.Combine(root, MarkdownFile);
        string json = Path.Combine(root, JsonFile);
        string index = Path.Combine(root, IndexFile);
        AtomicFile.WriteAllText(markdown, MarkdownReport.Render(data));
        AtomicFile.WriteAllText(json, ReportJson.Render(data));
        AtomicFile.WriteAllText(index, HtmlReport.Render(data));
        return new ReportOutput(index, markdown, json, files, sparsity, Warnings(records, sparsity));
    }

    /// <summary>
    /// The requested sparsity if some pruning run targets it, else the highest target sparsity present (0 when there are
    /// none). Only given fractions count: an automatic or matched target is no sparsity that several methods share.
    /// </summary>
    internal static double ChooseSparsity(IReadOnlyList<ResultRecord> records, double? requested)
    {
        double[] targets = [.. records.Where(r => !r.IsDense).Select(ReportAggregation.Target).OfType<double>().Distinct().Order()];
        if (requested is not double wanted)
        {
            return targets.Length == 0 ? 0 : targets[^1];
        }
        double rounded = Math.Round(wanted, 6);
        return targets.Contains(rounded)
            ? rounded
            : throw new ArgumentException(
                $"--sparsity {ReportFormat.Number(wanted, "0.####")}: no pruning run targets {SparsityTarget.Percent(wanted)}; targets present: "
                + (targets.Length == 0 ? "none" : string.Join(", ", targets.Select(SparsityTarget.Percent))));
    }

    private static List<ReportFigure> Draw(IReadOnlyList<ResultRecord> records, IReadOnlyList<SummaryRow> rows, double sparsity, ReportStyle style)
    {
        var figures = new List<ReportFigure?>();
        foreach (string model in rows.Select(r => r.Model).Distinct())
        {
            var modelRows = rows.Where(r => r.Model == model).ToList();
            var modelRuns = records.Where(r => r.Model == model).OrderBy(r => r.Path, StringComparer.Ordinal).ToList();
            figures.Add(SummaryFigures.Accuracy(model, modelRows, style));
            figures.Add(SummaryFigures.Macs(model, modelRows, style));
            figures.Add(SummaryFigures.Latency(model, modelRows, style));
            figures.Add(RunFigures.Layers(model, modelRuns, sparsity, style));
            figures.Add(RunFigures.Curves(model, modelRuns, sparsity, style));
        }
        return [.. figures.OfType<ReportFigure>()];
    }

    private static List<string> Warnings(IReadOnlyList<ResultRecord> records, double sparsity)
    {
        var warnings = new List<string>();
        if (!ReportFonts.TextRenders)
        {
            warnings.Add("no usable font found (looked for DejaVu, Liberation, Noto and Free Sans under /usr/share/fonts): figures have no text");
        }
        foreach (string model in records.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal))
        {
            if (!records.Any(r => r.Model == model && !r.IsDense && ReportAggregation.Target(r) == sparsity))
            {
                warnings.Add($"{model}: no pruning run at {SparsityTarget.Percent(sparsity)}, so no per-layer bars or training curves");
            }
        }
        return warnings;
    }
}
