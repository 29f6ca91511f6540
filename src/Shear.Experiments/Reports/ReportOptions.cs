namespace Shear.Experiments.Reports;

/// <summary>What <see cref="ReportWriter"/> writes and where.</summary>
public sealed record ReportOptions
{
    /// <summary>The report folder; created if missing. Existing report files in it are replaced.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Heading of <c>index.html</c> and <c>results.md</c>.</summary>
    public string Title { get; init; } = "Shear results";

    /// <summary>
    /// Target sparsity (a fraction in [0, 1)) of the per-layer bars and training curves; <see langword="null"/> picks
    /// the highest target sparsity among the runs, where pruning differs most between methods.
    /// </summary>
    public double? Sparsity { get; init; }
}

/// <summary>The files a report consists of, all absolute paths.</summary>
/// <param name="Index">The HTML page.</param>
/// <param name="Markdown">The Markdown tables (<c>results.md</c>).</param>
/// <param name="Json">The aggregated numbers (<c>report.json</c>).</param>
/// <param name="Figures">Every figure file, PNG and SVG.</param>
/// <param name="Sparsity">The target sparsity the per-layer bars and curves show.</param>
/// <param name="Warnings">Anything the reader should know, such as figures rendered without text.</param>
public sealed record ReportOutput(
    string Index, string Markdown, string Json, IReadOnlyList<string> Figures, double Sparsity, IReadOnlyList<string> Warnings);
