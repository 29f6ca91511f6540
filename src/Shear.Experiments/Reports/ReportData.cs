using Shear.Experiments.Results;
using Shear.Masks;

namespace Shear.Experiments.Reports;

/// <summary>Everything the HTML, Markdown and JSON renderings share: the runs, their summary rows and the saved figures.</summary>
/// <param name="Title">Report heading.</param>
/// <param name="Records">Every run.</param>
/// <param name="Rows">The runs summarised as <c>shear results compare</c> summarises them.</param>
/// <param name="Sparsity">Target sparsity of the per-layer bars and curves.</param>
/// <param name="Figures">The figures that were saved (a model without the runs a figure needs has none of it).</param>
/// <param name="Style">Method labels and colours.</param>
internal sealed record ReportData(
    string Title, IReadOnlyList<ResultRecord> Records, IReadOnlyList<SummaryRow> Rows, double Sparsity, IReadOnlyList<ReportFigure> Figures,
    ReportStyle Style)
{
    /// <summary>Column headings of the per-model tables.</summary>
    public static readonly string[] Headings = ["Method", "Target sparsity", "Test top-1", "Measured sparsity", "Effective MACs", "Epochs"];

    /// <summary>Models in report order.</summary>
    public IReadOnlyList<string> Models => [.. Rows.Select(r => r.Model).Distinct()];

    /// <summary>One line per environment the runs came from.</summary>
    public IReadOnlyList<string> Environments => ReportFormat.Environments(Records);

    /// <summary>One sentence on what the report covers.</summary>
    public string Summary
    {
        get
        {
            int models = Models.Count;
            return $"{Records.Count} runs of {models} {(models == 1 ? "model" : "models")}. Cells are mean ± sample standard "
                + $"deviation over seeds (n = number of seeds). Per-layer bars and training curves are at {SparsityTarget.Percent(Sparsity)} target sparsity.";
        }
    }

    /// <summary>The rows of <paramref name="model"/>.</summary>
    public IReadOnlyList<SummaryRow> RowsOf(string model) => [.. Rows.Where(r => r.Model == model)];

    /// <summary>The saved figures of <paramref name="model"/>, in <see cref="FigureKind"/> order.</summary>
    public IReadOnlyList<ReportFigure> FiguresOf(string model) => [.. Figures.Where(f => f.Model == model).OrderBy(f => f.Kind)];

    /// <summary>A line about <paramref name="model"/>'s data sets and dense cost.</summary>
    public string Context(string model)
    {
        var runs = Records.Where(r => r.Model == model).ToList();
        // The sizes (and whether top-1 is on held-out images) where the runs recorded them; the names otherwise.
        string data = ResultsSummary.DataCaption(RowsOf(model))
            ?? $"Data: {string.Join(", ", runs.Select(r => r.Data).Distinct().Order(StringComparer.Ordinal))}.";
        return $"{data} Dense MACs per image: {ReportFormat.Si(runs.Max(r => r.MacsDense))}.";
    }

    /// <summary>The table cells of <paramref name="row"/>, in <see cref="Headings"/> order.</summary>
    public string[] Cells(SummaryRow row) =>
    [
        Style.Label(row),
        row.Target.ToString(),
        ReportFormat.Percent(row.Top1, withCount: true),
        // A compacted model has no zeros: what it removed is its sparsity's meaning here.
        row is { Compacted: true, ParametersRemoved: { } removed }
            ? $"compacted: {ReportFormat.Percent(removed, withCount: false)} of parameters removed"
            : ReportFormat.Percent(row.Sparsity, withCount: false),
        ReportFormat.Macs(row.MacsEffective),
        ReportFormat.Plain(row.Epochs),
    ];
}
