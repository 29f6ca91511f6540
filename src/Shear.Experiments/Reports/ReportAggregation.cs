using Shear.Experiments.Results;

namespace Shear.Experiments.Reports;

/// <summary>Mean, sample standard deviation and count of one quantity over seeds.</summary>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Std">Sample standard deviation (divides by n - 1); <see langword="null"/> for a single value.</param>
/// <param name="N">How many values.</param>
internal readonly record struct Summary(double Mean, double? Std, int N)
{
    /// <summary>Summarises <paramref name="values"/> (at least one).</summary>
    public static Summary Of(IReadOnlyList<double> values)
    {
        // The statistic the results store uses; reports show no ± for a single seed, hence null there.
        var statistic = SummaryStatistic.Of(values);
        return new Summary(statistic.Mean, statistic.N < 2 ? null : statistic.Std, statistic.N);
    }
}

/// <summary>The runs of one model, method and target sparsity, summarised over their seeds.</summary>
internal sealed record ReportRow(
    string Model, string Method, double TargetSparsity, Summary Top1, Summary Sparsity, Summary MacsEffective, Summary Epochs,
    double MacsDense, IReadOnlyList<long> Seeds)
{
    /// <summary>Whether this row holds dense training runs.</summary>
    public bool IsDense => Method == ReportAggregation.Dense;
}

/// <summary>Groups results by (model, method, target sparsity) and summarises each group over seeds.</summary>
internal static class ReportAggregation
{
    /// <summary>The method key of dense training runs.</summary>
    public const string Dense = "dense";

    /// <summary>Target sparsities closer than this are the same target (they come from decimal config values).</summary>
    private const int TargetDigits = 6;

    /// <summary>Rows ordered by model, then dense first, then method and target sparsity.</summary>
    public static IReadOnlyList<ReportRow> Rows(IReadOnlyList<ResultRecord> records) =>
        [.. records.GroupBy(r => (r.Model, r.Method, Target: Target(r)))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Method == Dense ? 0 : 1)
            .ThenBy(g => g.Key.Method, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Target)
            .Select(g => Row(g.Key.Model, g.Key.Method, g.Key.Target, [.. g.OrderBy(r => r.Seed)]))];

    /// <summary>A record's target sparsity, rounded so that equal config values group together.</summary>
    public static double Target(ResultRecord record) => Math.Round(record.TargetSparsity, TargetDigits);

    /// <summary>Methods in report order: dense first, then ordinal.</summary>
    public static IReadOnlyList<string> Methods(IEnumerable<ResultRecord> records) =>
        [.. records.Select(r => r.Method).Distinct().OrderBy(m => m == Dense ? 0 : 1).ThenBy(m => m, StringComparer.Ordinal)];

    /// <summary>The run of a group that figures show alone: seed 1 where present, else the lowest seed.</summary>
    public static ResultRecord Representative(IEnumerable<ResultRecord> group) =>
        group.OrderBy(r => r.Seed == 1 ? 0 : 1).ThenBy(r => r.Seed).ThenBy(r => r.Path, StringComparer.Ordinal).First();

    private static ReportRow Row(string model, string method, double target, IReadOnlyList<ResultRecord> runs) => new(
        model, method, target,
        Summary.Of([.. runs.Select(r => r.Top1)]),
        Summary.Of([.. runs.Select(r => r.Sparsity)]),
        Summary.Of([.. runs.Select(r => (double)r.MacsEffective)]),
        Summary.Of([.. runs.Select(r => (double)r.Epochs)]),
        runs.Max(r => r.MacsDense),
        [.. runs.Select(r => r.Seed)]);
}
