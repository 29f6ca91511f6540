using Shear.Experiments.Results;
using Shear.Masks;

namespace Shear.Experiments.Reports;

/// <summary>How the report reads the summary rows of <see cref="ResultsSummary"/>, the one grouping of results, and
/// which runs its per-run figures show.</summary>
internal static class ReportAggregation
{
    /// <summary>Digits a target fraction is rounded to when the report picks the sparsity of its per-run figures.</summary>
    private const int TargetDigits = 6;

    /// <summary>The rows of <paramref name="records"/>, exactly as <c>shear results compare</c> groups them.</summary>
    public static IReadOnlyList<SummaryRow> Rows(IReadOnlyList<ResultRecord> records) => ResultsSummary.Aggregate(records);

    /// <summary>A run's given target fraction, rounded; null for automatic and matched targets, which no other
    /// method shares.</summary>
    public static double? Target(ResultRecord record) =>
        record.Target.Kind == SparsityTargetKind.Fraction ? Math.Round(record.Target.Value!.Value, TargetDigits) : null;

    /// <summary>Where a row sits on a sparsity axis: its given target, or the mean sparsity it reached (automatic
    /// and matched rows have no shared target to stand on).</summary>
    public static double SparsityAxis(SummaryRow row) =>
        row.Target.Kind == SparsityTargetKind.Fraction ? row.Target.Value!.Value : row.Sparsity.Mean;

    /// <summary>How the report names a row's method: its key and variant, after the experiment when the report
    /// spans several (rows of different experiments are different rows).</summary>
    public static string Label(SummaryRow row, bool byExperiment) => byExperiment ? $"{row.Experiment}: {row.Method}" : row.Method;

    /// <summary>The <see cref="Label(SummaryRow, bool)"/> of the row a run belongs to.</summary>
    public static string Label(ResultRecord run, bool byExperiment) => byExperiment ? $"{run.Experiment}: {run.MethodLabel}" : run.MethodLabel;

    /// <summary>Whether <paramref name="records"/> come from more than one experiment.</summary>
    public static bool ByExperiment(IEnumerable<ResultRecord> records) => records.Select(r => r.Experiment).Distinct().Skip(1).Any();

    /// <summary>The run of a group that figures show alone: seed 1 where present, else the lowest seed.</summary>
    public static ResultRecord Representative(IEnumerable<ResultRecord> group) =>
        group.OrderBy(r => r.Seed == 1 ? 0 : 1).ThenBy(r => r.Seed).ThenBy(r => r.Path, StringComparer.Ordinal).First();
}
