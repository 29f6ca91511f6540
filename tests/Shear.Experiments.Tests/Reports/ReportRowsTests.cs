using System.Text.Json;
using Shear.Experiments.Results;
using Shear.Masks;
using Shear.TestKit;
using Xunit;

namespace Shear.Experiments.Reports;

// The report and `shear results compare` must show the same rows for the same runs. These runs hold every case on
// which the report's own grouping (model, method, target) used to differ: two dpp variants (merged into one n=4 row
// at target "0"), magnitude matched to dpp (one row per seed, each at its copied fraction, the highest of which
// became the report's sparsity), and dense models of two budgets (merged).
public class ReportRowsTests
{
    private static IReadOnlyList<ResultRecord> Runs() =>
    [
        SampleRecords.Dense("mlp", 1), SampleRecords.Dense("mlp", 2),
        SampleRecords.Dense("mlp", 1) with { Epochs = 6, Path = "/runs/mlp/dense6/1", Top1 = 0.95 },
        SampleRecords.Dense("mlp", 2) with { Epochs = 6, Path = "/runs/mlp/dense6/2", Top1 = 0.96 },
        .. Auto("dpp", null, 0.93, 0.95), .. Auto("dpp", "dpp-m=8", 0.96, 0.97),
        .. new[] { (1, 0.93), (2, 0.95) }.Select(s => SampleRecords.Pruned("mlp", "magnitude", s.Item2, s.Item1) with
        {
            Target = SparsityTarget.MatchedTo("dpp", s.Item2), Path = $"/runs/mlp/as-dpp/{s.Item1}",
        }),
        .. new[] { 0.5, 0.9 }.SelectMany(t => new[] { 1, 2 }.Select(seed => SampleRecords.Pruned("mlp", "magnitude", t, seed))),
    ];

    private static IEnumerable<ResultRecord> Auto(string method, string? variant, double first, double second) =>
        new[] { (1, first), (2, second) }.Select(s => SampleRecords.Pruned("mlp", method, s.Item2, s.Item1) with
        {
            Target = SparsityTarget.Automatic, Variant = variant, Path = $"/runs/mlp/{method}-{variant}/{s.Item1}",
        });

    [Fact]
    public void Write_ReportRows_AreTheResultsSummaryRows()
    {
        using var folder = new TempDirectory();
        var runs = Runs();

        var output = ReportWriter.Write(runs, new ReportOptions { OutputDirectory = folder.Path });

        using var report = JsonDocument.Parse(File.ReadAllText(output.Json));
        var reported = report.RootElement.GetProperty("rows").EnumerateArray().Select(r => (
            r.GetProperty("method").GetString(), r.GetProperty("targetSparsity").GetDouble(), r.GetProperty("targetLabel").GetString(),
            string.Join(",", r.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt64())),
            r.GetProperty("top1").GetProperty("mean").GetDouble(), r.GetProperty("epochs").GetProperty("mean").GetDouble())).ToList();
        var summary = ResultsSummary.Aggregate(runs).Select(r => (
            (string?)r.Method, r.TargetSparsity, r.TargetLabel, string.Join(",", r.Seeds), r.Top1.Mean, r.Epochs.Mean)).ToList();
        Assert.Equal(summary, reported);
    }

    [Fact]
    public void Rows_VariantsMatchedTargetsAndBudgets_AreSeparateRowsOfAllTheirSeeds()
    {
        var rows = ReportAggregation.Rows(Runs());

        Assert.Equal(
            [
                ("dense", "0 %", 3.0, 2), ("dense", "0 %", 6.0, 2), ("dpp", "auto", 5.0, 2), ("dpp (dpp-m=8)", "auto", 5.0, 2),
                ("magnitude", "50 %", 5.0, 2), ("magnitude", "90 %", 5.0, 2), ("magnitude", "as dpp", 5.0, 2),
            ],
            rows.Select(r => (r.Method, r.Target.ToString(), r.Epochs.Mean, r.Top1.N)));
        Assert.Equal(0.955, rows.Single(r => r.Method == "dense" && r.Epochs.Mean == 6).Top1.Mean, 12);
    }

    [Fact]
    public void Write_MatchedAndAutomaticFractions_NeverBecomeTheReportsSparsity()
    {
        using var folder = new TempDirectory();

        var output = ReportWriter.Write(Runs(), new ReportOptions { OutputDirectory = folder.Path });

        // The matched runs copied 0.93 and 0.95 and dpp reached up to 0.97; the highest target anyone gave is 0.9.
        Assert.Equal(0.9, output.Sparsity);
        Assert.Throws<ArgumentException>(() => ReportWriter.ChooseSparsity(Runs(), 0.95));
        string markdown = File.ReadAllText(output.Markdown);
        Assert.Contains("| dpp (dpp-m=8) | auto |", markdown, StringComparison.Ordinal);
        Assert.Single(markdown.Split('\n'), l => l.StartsWith("| magnitude | as dpp |", StringComparison.Ordinal));
    }

    [Fact]
    public void CellsAndContext_CompactedRowsAndRecordedData_ReadAsInResultsCompare()
    {
        var compacted = new[] { 1, 2 }.Select(seed => SampleRecords.Pruned("mlp", "l1-filter", 0.5, seed) with
        {
            Sparsity = 0, Compacted = true, ParametersDense = 200, NonZeroParameters = 50, Data = "fashion-mnist", TrainImages = 60000, TestImages = 10000,
        }).ToList();
        var rows = ResultsSummary.Aggregate(compacted);
        var data = new ReportData("", compacted, rows, 0.5, [], new ReportStyle(rows, byExperiment: false));

        Assert.Equal("compacted: 75.00 ± 0.00 % of parameters removed", data.Cells(rows[0])[3]);
        Assert.StartsWith("Data: fashion-mnist, 60,000 training images, top-1 on 10,000 test images. Dense MACs per image:", data.Context("mlp"), StringComparison.Ordinal);
    }
}
