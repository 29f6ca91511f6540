using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Shear.Masks;

namespace Shear.Experiments.Results;

/// <summary>Mean, sample standard deviation and count of one figure over the runs of a group.</summary>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Std">Sample standard deviation (divisor n - 1); 0 when <paramref name="N"/> is 1.</param>
/// <param name="N">Number of runs.</param>
public sealed record SummaryStatistic(double Mean, double Std, int N)
{
    /// <summary>The statistic of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static SummaryStatistic Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("a statistic needs at least one value", nameof(values));
        }
        double mean = values.Sum() / values.Count;
        // Two passes: the textbook sum-of-squares form loses digits when the spread is small against the mean (MACs).
        double std = values.Count == 1 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new SummaryStatistic(mean, std, values.Count);
    }

    /// <summary>"mean ± std (n)" with both numbers multiplied by <paramref name="scale"/> (100 for percent) and
    /// written in <paramref name="format"/>, culture-invariant.</summary>
    public string Format(double scale, string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{(Mean * scale).ToString(format, CultureInfo.InvariantCulture)} ± {(Std * scale).ToString(format, CultureInfo.InvariantCulture)} ({N})");
}

/// <summary>The aggregate of the runs sharing experiment, model, method and target sparsity (the seeds vary).</summary>
/// <param name="Experiment">Experiment name, empty for ad-hoc runs.</param>
/// <param name="Model">Zoo key.</param>
/// <param name="Method">Method key; <c>dense</c> for training runs; followed by the non-default settings in
/// parentheses (see <see cref="ResultRecord.MethodLabel"/>).</param>
/// <param name="Target">The requested sparsity (a matched row shows its first run's copied fraction).</param>
/// <param name="Top1">Test top-1 in [0, 1].</param>
/// <param name="Sparsity">Measured sparsity.</param>
/// <param name="MacsEffective">Effective MACs per image.</param>
/// <param name="Epochs">Epochs trained, all phases.</param>
/// <param name="Seeds">The runs' seeds, ascending (a seed listed twice means a run was repeated).</param>
public sealed record SummaryRow(
    string Experiment,
    string Model,
    string Method,
    [property: JsonIgnore] SparsityTarget Target,
    SummaryStatistic Top1,
    SummaryStatistic Sparsity,
    SummaryStatistic MacsEffective,
    SummaryStatistic Epochs,
    IReadOnlyList<long> Seeds)
{
    /// <summary>The target's fraction, 0 when automatic (the JSON form of <see cref="Target"/>).</summary>
    public double TargetSparsity => Target.Value ?? 0;

    /// <summary>The target's <see cref="SparsityTarget.Label"/>, or null for a fraction.</summary>
    public string? TargetLabel => Target.Label;

    /// <summary>Whether this row holds dense training runs.</summary>
    [JsonIgnore]
    public bool IsDense { get; init; }

    /// <summary>Each counted layer's sparsity over the group's runs, in the order the runs list them (empty for
    /// dense rows).</summary>
    public IReadOnlyList<LayerSummary> Layers { get; init; } = [];

    /// <summary>Dense MACs per image (see <see cref="ResultRecord.MacsDense"/>), the largest of the group's runs.</summary>
    public long MacsDense { get; init; }

    /// <summary>Non-zero parameters of the saved models (a compacted model counts only what it kept).</summary>
    public SummaryStatistic? NonZeroParameters { get; init; }

    /// <summary>MACs per image of the saved models run densely (see <see cref="ResultRecord.MacsExecuted"/>).</summary>
    public SummaryStatistic? MacsExecuted { get; init; }

    /// <summary>ONNX Runtime latency (see <see cref="ResultRecord.LatencyMs"/>) where every run of the row has one
    /// at the same batch; null otherwise.</summary>
    public SummaryStatistic? LatencyMs { get; init; }

    /// <summary>The batch of <see cref="LatencyMs"/>.</summary>
    public int? LatencyBatch { get; init; }

    /// <summary>Top-1 before the pruning step (see <see cref="ResultRecord.Top1BeforePruning"/>), where every run has it.</summary>
    public SummaryStatistic? Top1BeforePruning { get; init; }

    /// <summary>Top-1 of the pruned model before fine-tuning (see <see cref="ResultRecord.Top1BeforeFinetune"/>), where every run has it.</summary>
    public SummaryStatistic? Top1BeforeFinetune { get; init; }

    /// <summary>The runs' data (<see cref="ResultRecord.Data"/>) where they agree and recorded their sizes.</summary>
    public string? Data { get; init; }

    /// <summary>Training images of <see cref="Data"/>, where the runs agree.</summary>
    public int? TrainImages { get; init; }

    /// <summary>Images top-1 was measured on (see <see cref="ResultRecord.TestImages"/>), where the runs agree.</summary>
    public int? TestImages { get; init; }

    /// <summary>Whether every run physically removed its pruned channels: a compacted model has no zeros, so its
    /// sparsity is 0 and <see cref="ParametersRemoved"/> and <see cref="MacsExecutedRemoved"/> say what it saved.</summary>
    public bool Compacted { get; init; }

    /// <summary>1 - non-zero parameters / the model's parameters before pruning, where every run recorded both.</summary>
    public SummaryStatistic? ParametersRemoved { get; init; }

    /// <summary>1 - executed MACs / dense MACs: what a dense runtime saves (0 for masks, which execute every MAC).</summary>
    public SummaryStatistic? MacsExecutedRemoved { get; init; }
}

/// <summary>One layer's sparsity over the runs of a summary row.</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Sparsity">Fraction of its weights removed.</param>
public sealed record LayerSummary(string Layer, SummaryStatistic Sparsity);

/// <summary>Aggregates runs over seeds for comparison tables (console, Markdown, JSON) and reports: the one
/// grouping of results.</summary>
public static class ResultsSummary
{
    /// <summary>
    /// Groups <paramref name="records"/> by (experiment, model, method, variant, target, epochs; see
    /// <see cref="SparsityTarget.GroupKey"/>) and gives each group's statistics. Rows are ordered by experiment,
    /// model, dense first, method, given fractions before automatic and matched targets, target, then epochs.
    /// </summary>
    public static IReadOnlyList<SummaryRow> Aggregate(IEnumerable<ResultRecord> records) =>
        [.. records
            // Runs of different budgets (a 5- and a 10-epoch dense model) are different rows.
            .GroupBy(r => (r.Experiment, r.Model, r.Method, r.Variant, r.Target.GroupKey, r.Epochs))
            .Select(g => Row([.. g]))
            .OrderBy(r => r.Experiment, StringComparer.Ordinal)
            .ThenBy(r => r.Model, StringComparer.Ordinal)
            .ThenBy(r => !r.IsDense)
            .ThenBy(r => r.Method, StringComparer.Ordinal)
            .ThenBy(r => r.Target.Kind != SparsityTargetKind.Fraction)
            .ThenBy(r => r.TargetSparsity)
            .ThenBy(r => r.Epochs.Mean)];

    /// <summary>A GitHub-flavoured Markdown table of <paramref name="rows"/> ("mean ± std (n)" cells; top-1 and
    /// sparsity in percent). With <paramref name="stages"/>, two more columns follow the final top-1: before the
    /// pruning step and after it, before fine-tuning, so a row shows where its accuracy was lost.</summary>
    public static string ToMarkdown(IReadOnlyList<SummaryRow> rows, bool stages = false)
    {
        var text = new StringBuilder();
        string? caption = DataCaption(rows);
        if (caption is not null)
        {
            text.AppendLine(caption).AppendLine();
        }
        string stageHeadings = stages ? " top-1 before pruning (%) | top-1 pruned, before FT (%) |" : "";
        text.AppendLine($"| experiment | model | method | target sparsity | top-1 (%) |{stageHeadings} sparsity (%) | effective MACs | executed MACs | non-zero parameters | parameters removed (%) | executed MACs removed (%) | epochs | seeds |");
        text.AppendLine($"|---|---|---|---:|---:|{(stages ? "---:|---:|" : "")}---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            string[] stageCells = stages ? [r.Top1BeforePruning?.Format(100, "F2") ?? "–", r.Top1BeforeFinetune?.Format(100, "F2") ?? "–"] : [];
            string[] cells =
            [
                Escape(r.Experiment), Escape(r.Model), Escape(r.Method),
                r.Target.ToString(),
                // A compacted model has no zeros left: its saving is in the two "removed" columns, not a 0 % sparsity.
                r.Top1.Format(100, "F2"), .. stageCells, r.Compacted ? "compacted" : r.Sparsity.Format(100, "F2"), r.MacsEffective.Format(1, "N0"),
                r.MacsExecuted?.Format(1, "N0") ?? "–", r.NonZeroParameters?.Format(1, "N0") ?? "–",
                r.ParametersRemoved?.Format(100, "F2") ?? "–", r.MacsExecutedRemoved?.Format(100, "F2") ?? "–",
                r.Epochs.Format(1, "0.#"), string.Join(", ", r.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture))),
            ];
            text.Append("| ").AppendJoin(" | ", cells).AppendLine(" |");
        }
        return text.ToString();
    }

    /// <summary>The sentence above a table that says which data its rows trained on and how many images each top-1
    /// was measured on (held-out training images for <c>NAME-holdoutF</c> data); null when no row recorded it.</summary>
    public static string? DataCaption(IReadOnlyList<SummaryRow> rows)
    {
        var sets = rows.Where(r => r.Data is not null).GroupBy(r => (r.Data, r.TrainImages, r.TestImages)).ToList();
        if (sets.Count == 0)
        {
            return null;
        }
        int unknown = rows.Count(r => r.Data is null);
        var parts = sets.Select(g =>
        {
            bool heldOut = g.Key.Data!.Contains("-holdout", StringComparison.Ordinal);
            string scored = heldOut ? "held-out training images (not the test set)" : "test images";
            string part = string.Create(CultureInfo.InvariantCulture, $"{g.Key.Data}, {g.Key.TrainImages:N0} training images, top-1 on {g.Key.TestImages:N0} {scored}");
            return sets.Count == 1 && unknown == 0 ? part : string.Create(CultureInfo.InvariantCulture, $"{part} ({Rows(g.Count())})");
        }).ToList();
        if (unknown > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"not recorded ({Rows(unknown)})"));
        }
        return $"Data: {string.Join("; ", parts)}.";
    }

    /// <summary>A Markdown table of every pruned row's per-layer sparsity ("mean ± std" in percent), one column per
    /// layer; rows of different models get the union of their layers, "–" where a model lacks one.</summary>
    public static string LayersToMarkdown(IReadOnlyList<SummaryRow> rows)
    {
        var pruned = rows.Where(r => r.Layers.Count > 0).ToList();
        var layers = pruned.SelectMany(r => r.Layers.Select(l => l.Layer)).Distinct().ToList();
        var text = new StringBuilder();
        text.Append("| model | method | target sparsity | total (%) | ").AppendJoin(" | ", layers.Select(Escape)).AppendLine(" |");
        text.Append("|---|---|---:|---:|").AppendJoin("", layers.Select(_ => "---:|")).AppendLine();
        foreach (var r in pruned)
        {
            var byName = r.Layers.ToDictionary(l => l.Layer, l => l.Sparsity);
            text.Append("| ").AppendJoin(" | ", [Escape(r.Model), Escape(r.Method), r.Target.ToString(), Percent(r.Sparsity)])
                .Append(" | ").AppendJoin(" | ", layers.Select(l => byName.TryGetValue(l, out var s) ? Percent(s) : "–")).AppendLine(" |");
        }
        return text.ToString();
    }

    private static string Rows(int n) => n == 1 ? "1 row" : string.Create(CultureInfo.InvariantCulture, $"{n} rows");

    private static string Percent(SummaryStatistic s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Mean * 100:F2} ± {s.Std * 100:F2}");

    private static SummaryRow Row(ResultRecord[] group)
    {
        // Records from before these fields existed carry 0 images and parameters: no figure rather than a wrong one.
        var data = group.All(r => r.TestImages > 0) && group.Select(r => (r.Data, r.TrainImages, r.TestImages)).Distinct().Count() == 1 ? group[0] : null;
        return new(
            group[0].Experiment, group[0].Model, group[0].MethodLabel, group[0].Target,
            SummaryStatistic.Of([.. group.Select(r => r.Top1)]),
            SummaryStatistic.Of([.. group.Select(r => r.Sparsity)]),
            SummaryStatistic.Of([.. group.Select(r => (double)r.MacsEffective)]),
            SummaryStatistic.Of([.. group.Select(r => (double)r.Epochs)]),
            [.. group.Select(r => r.Seed).Order()])
        {
            IsDense = group[0].IsDense,
            MacsDense = group.Max(r => r.MacsDense),
            NonZeroParameters = SummaryStatistic.Of([.. group.Select(r => (double)r.NonZeroParameters)]),
            // Records from before the field existed carry 0: no figure rather than a wrong one.
            MacsExecuted = group.All(r => r.MacsExecuted > 0) ? SummaryStatistic.Of([.. group.Select(r => (double)r.MacsExecuted)]) : null,
            LatencyMs = group.All(r => r.LatencyMs is not null) && group.Select(r => r.LatencyBatch).Distinct().Count() == 1
                ? SummaryStatistic.Of([.. group.Select(r => r.LatencyMs!.Value)]) : null,
            LatencyBatch = group.Select(r => r.LatencyBatch).Distinct().Count() == 1 ? group[0].LatencyBatch : null,
            Top1BeforePruning = group.All(r => r.Top1BeforePruning is not null) ? SummaryStatistic.Of([.. group.Select(r => r.Top1BeforePruning!.Value)]) : null,
            Top1BeforeFinetune = group.All(r => r.Top1BeforeFinetune is not null) ? SummaryStatistic.Of([.. group.Select(r => r.Top1BeforeFinetune!.Value)]) : null,
            Data = data?.Data, TrainImages = data?.TrainImages, TestImages = data?.TestImages,
            Compacted = group.All(r => r.Compacted),
            ParametersRemoved = group.All(r => r.ParametersDense > 0) ? SummaryStatistic.Of([.. group.Select(r => 1 - (double)r.NonZeroParameters / r.ParametersDense)]) : null,
            MacsExecutedRemoved = group.All(r => r.MacsExecuted > 0 && r.MacsDense > 0) ? SummaryStatistic.Of([.. group.Select(r => 1 - (double)r.MacsExecuted / r.MacsDense)]) : null,
            Layers = [.. group.SelectMany(r => r.Layers).Select(l => l.Layer).Distinct()
                .Select(name => new LayerSummary(name, SummaryStatistic.Of([.. group.SelectMany(r => r.Layers).Where(l => l.Layer == name).Select(l => l.Sparsity)])))],
        };
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
