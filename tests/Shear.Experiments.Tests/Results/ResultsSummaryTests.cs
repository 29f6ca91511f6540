using Shear.Masks;
using Xunit;

namespace Shear.Experiments.Results;

public class ResultsSummaryTests
{
    private static ResultRecord Run(string method, double target, long seed, double top1, long macs = 100, int epochs = 3,
        string experiment = "", string model = "mlp") => new()
    {
        Id = $"{method}-{target}-{seed}", Path = "/r", Experiment = experiment, Command = method == "dense" ? "train" : "prune",
        Model = model, Data = "synthetic", Method = method, Target = SparsityTarget.Fraction(target), Sparsity = target, Seed = seed,
        Top1 = top1, MacsEffective = macs, Epochs = epochs, MacsExecuted = target > 0 ? 2 * macs : macs, NonZeroParameters = 40,
    };

    [Fact]
    public void Aggregate_ThreeSeeds_GivesExactMeanSampleStdAndCount()
    {
        ResultRecord[] records =
        [
            Run("magnitude", 0.5, 3, 0.9, macs: 300),
            Run("magnitude", 0.5, 1, 0.5, macs: 100),
            Run("magnitude", 0.5, 2, 0.7, macs: 200),
        ];

        var row = Assert.Single(ResultsSummary.Aggregate(records));

        Assert.Equal(0.7, row.Top1.Mean, 12);
        // sqrt(((0.2)^2 + 0 + (0.2)^2) / (3 - 1)) = 0.2: the sample (n - 1) deviation, not the population one (0.163).
        Assert.Equal(0.2, row.Top1.Std, 12);
        Assert.Equal(3, row.Top1.N);
        Assert.Equal(new SummaryStatistic(200, 100, 3), row.MacsEffective);
        Assert.Equal(new SummaryStatistic(3, 0, 3), row.Epochs);
        Assert.Equal(new SummaryStatistic(0.5, 0, 3), row.Sparsity);
        Assert.Equal([1L, 2L, 3L], row.Seeds);
    }

    [Fact]
    public void Aggregate_DifferentBudgets_AreSeparateRowsShortestFirst()
    {
        ResultRecord[] records = [Run("dense", 0, 1, 0.9, epochs: 10), Run("dense", 0, 1, 0.85, epochs: 5), Run("dense", 0, 2, 0.86, epochs: 5)];

        var rows = ResultsSummary.Aggregate(records);

        Assert.Equal([(5.0, 2), (10.0, 1)], rows.Select(r => (r.Epochs.Mean, r.Top1.N)));
    }

    [Fact]
    public void Aggregate_LabelledTargets_GroupByLabelAndShowIt()
    {
        ResultRecord[] records =
        [
            Run("dpp", 0, 1, 0.8) with { Target = SparsityTarget.Automatic, Sparsity = 0.81 },
            Run("dpp", 0, 2, 0.8) with { Target = SparsityTarget.Automatic, Sparsity = 0.83 },
            Run("magnitude", 0.81, 1, 0.8) with { Target = SparsityTarget.MatchedTo("dpp", 0.81) },
            Run("magnitude", 0.83, 2, 0.8) with { Target = SparsityTarget.MatchedTo("dpp", 0.83) },
            Run("magnitude", 0.9, 1, 0.8),
        ];

        var rows = ResultsSummary.Aggregate(records);
        string markdown = ResultsSummary.ToMarkdown(rows);

        Assert.Equal([("dpp", "auto", 2), ("magnitude", null, 1), ("magnitude", "as dpp", 2)], rows.Select(r => (r.Method, r.TargetLabel, r.Top1.N)));
        Assert.Equal(0.82, rows[0].Sparsity.Mean, 12);
        Assert.Contains("| dpp | auto |", markdown, StringComparison.Ordinal);
        Assert.Contains("| magnitude | as dpp |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void LayersToMarkdown_PrunedRows_ShowEachLayersMeanSparsity()
    {
        ResultRecord[] records =
        [
            Run("dense", 0, 1, 0.9),
            Run("dpp", 0, 1, 0.8) with { Target = SparsityTarget.Automatic, Layers = [new LayerPoint("fc1", 0.8), new LayerPoint("fc2", 0.6)] },
            Run("dpp", 0, 2, 0.8) with { Target = SparsityTarget.Automatic, Layers = [new LayerPoint("fc1", 0.9), new LayerPoint("fc2", 0.7)] },
        ];

        var rows = ResultsSummary.Aggregate(records);
        string markdown = ResultsSummary.LayersToMarkdown(rows);

        Assert.Equal(0.85, rows[1].Layers[0].Sparsity.Mean, 12);
        Assert.Contains("| model | method | target sparsity | total (%) | fc1 | fc2 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| mlp | dpp | auto | 0.00 ± 0.00 | 85.00 ± 7.07 | 65.00 ± 7.07 |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| dense |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregate_SingleRun_HasZeroStdAndCountOne()
    {
        var row = Assert.Single(ResultsSummary.Aggregate([Run("snip", 0.9, 7, 0.81)]));

        Assert.Equal(new SummaryStatistic(0.81, 0, 1), row.Top1);
        Assert.Equal([7L], row.Seeds);
    }

    [Fact]
    public void Aggregate_MixedRuns_GroupsByExperimentModelMethodAndTargetWithDenseFirst()
    {
        ResultRecord[] records =
        [
            Run("magnitude", 0.9, 1, 0.6),
            Run("magnitude", 0.5, 1, 0.8),
            Run("dense", 0, 1, 0.9),
            Run("dense", 0, 2, 0.8),
            Run("magnitude", 0.5 + 1e-12, 2, 0.7),
            Run("magnitude", 0.5, 1, 0.1, experiment: "sweep"),
            Run("magnitude", 0.5, 1, 0.2, model: "lenet5"),
        ];

        var rows = ResultsSummary.Aggregate(records);

        Assert.Equal(["/lenet5/magnitude/0.5", "/mlp/dense/0", "/mlp/magnitude/0.5", "/mlp/magnitude/0.9", "sweep/mlp/magnitude/0.5"],
            rows.Select(r => $"{r.Experiment}/{r.Model}/{r.Method}/{r.TargetSparsity}"));
        var dense = rows[1];
        Assert.Equal(0.85, dense.Top1.Mean, 12);
        Assert.Equal(Math.Sqrt(0.005), dense.Top1.Std, 12);
        Assert.Equal(2, rows[2].Top1.N);
    }

    [Fact]
    public void Statistic_NoValues_IsRefused() =>
        Assert.Throws<ArgumentException>(() => SummaryStatistic.Of([]));

    [Fact]
    public void Format_PercentScale_WritesMeanStdAndCountInvariantly() =>
        Assert.Equal("70.00 ± 20.00 (3)", new SummaryStatistic(0.7, 0.2, 3).Format(100, "F2"));

    [Fact]
    public void ToMarkdown_TwoGroups_WritesHeaderSeparatorAndOneLinePerGroup()
    {
        var rows = ResultsSummary.Aggregate([Run("dense", 0, 1, 0.9), Run("magnitude", 0.5, 1, 0.5), Run("magnitude", 0.5, 2, 0.9)]);

        var lines = ResultsSummary.ToMarkdown(rows).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(4, lines.Length);
        Assert.StartsWith("| experiment | model | method | target sparsity | top-1 (%)", lines[0], StringComparison.Ordinal);
        Assert.Equal("|  | mlp | dense | 0 % | 90.00 ± 0.00 (1) | 0.00 ± 0.00 (1) | 100 ± 0 (1) | 100 ± 0 (1) | 40 ± 0 (1) | – | – | 3 ± 0 (1) | 1 |", lines[2]);
        Assert.Equal("|  | mlp | magnitude | 50 % | 70.00 ± 28.28 (2) | 50.00 ± 0.00 (2) | 100 ± 0 (2) | 200 ± 0 (2) | 40 ± 0 (2) | – | – | 3 ± 0 (2) | 1, 2 |", lines[3]);
    }

    [Fact]
    public void ToMarkdown_RecordsWithoutExecutedMacs_ShowNoFigureRatherThanZero()
    {
        var rows = ResultsSummary.Aggregate([Run("magnitude", 0.5, 1, 0.5) with { MacsExecuted = 0 }, Run("magnitude", 0.5, 2, 0.9)]);

        string line = ResultsSummary.ToMarkdown(rows).Split('\n', StringSplitOptions.RemoveEmptyEntries)[2];

        Assert.Contains("| 100 ± 0 (2) | – | 40 ± 0 (2) |", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_Stages_ShowsTop1BeforePruningAndBeforeFinetune_DashWhereARunLacksIt()
    {
        var rows = ResultsSummary.Aggregate(
        [
            Run("dense", 0, 1, 0.9),
            Run("cdp-dtc", 0.5, 1, 0.6) with { Top1BeforePruning = 0.88, Top1BeforeFinetune = 0.6 },
            Run("cdp-dtc", 0.5, 2, 0.8) with { Top1BeforePruning = 0.90, Top1BeforeFinetune = 0.8 },
        ]);

        var lines = ResultsSummary.ToMarkdown(rows, stages: true).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("| top-1 (%) | top-1 before pruning (%) | top-1 pruned, before FT (%) | sparsity (%) |", lines[0], StringComparison.Ordinal);
        Assert.Equal(lines[0].Count(c => c == '|'), lines[1].Count(c => c == '|'));
        Assert.Contains("| 90.00 ± 0.00 (1) | – | – | 0.00 ± 0.00 (1) |", lines[2], StringComparison.Ordinal);
        Assert.Contains("| 70.00 ± 14.14 (2) | 89.00 ± 1.41 (2) | 70.00 ± 14.14 (2) | 50.00 ± 0.00 (2) |", lines[3], StringComparison.Ordinal);
        Assert.DoesNotContain("before pruning", ResultsSummary.ToMarkdown(rows), StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_CompactedRows_ShowParameterAndExecutedMacReductionsInsteadOfZeroSparsity()
    {
        ResultRecord Compacted(long seed, long kept) => Run("l1-filter", 0.5, seed, 0.8) with
        {
            Sparsity = 0, Compacted = true, ParametersDense = 1000, NonZeroParameters = kept, MacsDense = 400, MacsExecuted = 100,
        };
        var rows = ResultsSummary.Aggregate([Compacted(1, 300), Compacted(2, 500), Run("magnitude", 0.5, 1, 0.9) with { ParametersDense = 80, MacsDense = 200 }]);

        var lines = ResultsSummary.ToMarkdown(rows).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("| parameters removed (%) | executed MACs removed (%) |", lines[0], StringComparison.Ordinal);
        Assert.Equal(lines[0].Count(c => c == '|'), lines[1].Count(c => c == '|'));
        // 1 - 300/1000 and 1 - 500/1000; 1 - 100/400 for both.
        Assert.Contains("| 80.00 ± 0.00 (2) | compacted | 100 ± 0 (2) |", lines[2], StringComparison.Ordinal);
        Assert.Contains("| 60.00 ± 14.14 (2) | 75.00 ± 0.00 (2) |", lines[2], StringComparison.Ordinal);
        // A masked model keeps its shapes: the sparsity is shown, and it executes every MAC (1 - 200/200).
        Assert.Contains("| 50.00 ± 0.00 (1) | 100 ± 0 (1) |", lines[3], StringComparison.Ordinal);
        Assert.Contains("| 50.00 ± 0.00 (1) | 0.00 ± 0.00 (1) |", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_RecordedData_IsStatedAboveTheTable_HeldOutImagesNamedAsSuch()
    {
        var test = Run("magnitude", 0.5, 1, 0.9) with { Data = "fashion-mnist", TrainImages = 60000, TestImages = 10000 };
        var heldOut = Run("pmp", 0.5, 1, 0.9) with { Data = "fashion-mnist-holdout0.1", TrainImages = 54000, TestImages = 6000 };

        Assert.StartsWith("Data: fashion-mnist, 60,000 training images, top-1 on 10,000 test images.\n",
            ResultsSummary.ToMarkdown(ResultsSummary.Aggregate([test])), StringComparison.Ordinal);
        Assert.Equal("Data: fashion-mnist, 60,000 training images, top-1 on 10,000 test images (1 row); fashion-mnist-holdout0.1, "
            + "54,000 training images, top-1 on 6,000 held-out training images (not the test set) (1 row); not recorded (1 row).",
            ResultsSummary.DataCaption(ResultsSummary.Aggregate([test, heldOut, Run("random", 0.5, 1, 0.5)])));
        // Records from before the sizes were kept: no sentence rather than a wrong one.
        Assert.StartsWith("| experiment |", ResultsSummary.ToMarkdown(ResultsSummary.Aggregate([Run("random", 0.5, 1, 0.5)])), StringComparison.Ordinal);
    }
}
