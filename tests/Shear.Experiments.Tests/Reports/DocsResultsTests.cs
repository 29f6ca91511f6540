using System.Text.Json;
using Shear.Experiments.Results;
using Shear.Masks;
using Xunit;

namespace Shear.Experiments.Reports;

// The tables under docs/results were written by `shear results compare` (tools/*_tables.sh) and `shear report` from
// run folders that are not in the repository; each sits beside the JSON of the same rows (a page may hold text
// before its table: only the lines that start with "| " are compared). Rendering those rows
// with today's code must give the committed tables cell for cell: the numbers in the docs still regenerate.
public class DocsResultsTests
{
    private static readonly string _docs = Path.Combine(AppContext.BaseDirectory, "docs", "results");

    public static TheoryData<string> CompareTables() =>
        [.. Directory.EnumerateFiles(_docs, "*.json", SearchOption.AllDirectories)
            .Where(f => File.Exists(Path.ChangeExtension(f, ".md")) && JsonDocument.Parse(File.ReadAllText(f)).RootElement.TryGetProperty("groups", out _))
            .Select(f => Path.GetRelativePath(_docs, f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void CompareTables_CoverEveryGeneratedComparison()
    {
        // pmp-dpp: 3 models + dpp's calibration; screening-cdp: 2 models x 3 sparsities + 2 structured + CDP's
        // calibration; structured: 2; the issue-5 baselines (pruning-baselines.md, its table below the text);
        // mobile: MobileNetV2; issue 23: CDP + DTC's final pruning, 2 models (with --stages), per-layer magnitude
        // and random at the pmp-dpp budgets, 2 models, dpp on converged weights, screening's held-out choice and
        // test rows (MLP and LeNet-5), pmp's VGG-11 ramp and CDP's fine-tune lr (2 models) chosen on held-out data.
        Assert.Equal(29, CompareTables().Count);
    }

    [Theory]
    [MemberData(nameof(CompareTables))]
    public void ResultsCompareTable_RegeneratesFromItsJson(string json)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_docs, json)));
        var rows = document.RootElement.GetProperty("groups").EnumerateArray().Select(Row).ToList();

        string markdown = File.ReadAllText(Path.Combine(_docs, Path.ChangeExtension(json, ".md")));
        // Tables written with --stages carry the two columns of accuracy before and after the pruning step.
        bool stages = markdown.Contains("| top-1 before pruning (%) |", StringComparison.Ordinal);
        var rendered = Table(ResultsSummary.ToMarkdown(rows, stages));
        var committed = Table(markdown);

        AssertSameCells(committed, rendered);
        // The sentence naming the data and the number of images top-1 was measured on, where the rows recorded it.
        string? caption = ResultsSummary.DataCaption(rows);
        Assert.Equal(caption, markdown.Split('\n').FirstOrDefault(l => l.StartsWith("Data: ", StringComparison.Ordinal)));
    }

    // Issue 23: every table states its data and how many images its top-1 was measured on.
    [Theory]
    [MemberData(nameof(CompareTables))]
    public void ResultsCompareTable_StatesItsData(string json)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_docs, json)));
        var rows = document.RootElement.GetProperty("groups").EnumerateArray().Select(Row).ToList();

        Assert.NotNull(ResultsSummary.DataCaption(rows));
    }

    [Fact]
    public void ReportTable_RegeneratesFromItsJson()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_docs, "lenet300-fashion", "report.json")));
        var rows = document.RootElement.GetProperty("rows").EnumerateArray().Select(Row).ToList();
        var data = new ReportData("", [], rows, 0.95, [], new ReportStyle(rows, byExperiment: false));

        var rendered = rows.Select(r => (IReadOnlyList<string>)data.Cells(r)).ToList();
        var committed = Table(File.ReadAllText(Path.Combine(_docs, "lenet300-fashion", "results.md")));

        Assert.Equal(ReportData.Headings, committed.Headings);
        Assert.Equal(committed.Rows, rendered);
    }

    private static SummaryRow Row(JsonElement g)
    {
        string method = g.GetProperty("method").GetString()!;
        double target = g.GetProperty("targetSparsity").GetDouble();
        string? label = g.TryGetProperty("targetLabel", out var l) ? l.GetString() : null;
        var sparsityTarget = label switch
        {
            null => SparsityTarget.Fraction(target),
            "auto" => SparsityTarget.Automatic,
            _ => SparsityTarget.MatchedTo(label["as ".Length..], target),
        };
        return new SummaryRow(g.TryGetProperty("experiment", out var e) ? e.GetString()! : "", g.GetProperty("model").GetString()!, method,
            sparsityTarget, Statistic(g, "top1")!, Statistic(g, "sparsity")!, Statistic(g, "macsEffective")!, Statistic(g, "epochs")!,
            [.. g.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt64())])
        {
            IsDense = method == ResultRecord.Dense,
            MacsExecuted = Statistic(g, "macsExecuted"),
            NonZeroParameters = Statistic(g, "nonZeroParameters"),
            Top1BeforePruning = Statistic(g, "top1BeforePruning"),
            Top1BeforeFinetune = Statistic(g, "top1BeforeFinetune"),
            Compacted = g.TryGetProperty("compacted", out var c) && c.GetBoolean(),
            Data = g.TryGetProperty("data", out var d) ? d.GetString() : null,
            TrainImages = g.TryGetProperty("trainImages", out var train) && train.ValueKind == JsonValueKind.Number ? train.GetInt32() : null,
            TestImages = g.TryGetProperty("testImages", out var test) && test.ValueKind == JsonValueKind.Number ? test.GetInt32() : null,
            ParametersRemoved = Statistic(g, "parametersRemoved"),
            MacsExecutedRemoved = Statistic(g, "macsExecutedRemoved"),
        };
    }

    // report.json of schema 1 wrote a single run's deviation as null.
    private static SummaryStatistic? Statistic(JsonElement g, string name) =>
        g.TryGetProperty(name, out var s) && s.ValueKind == JsonValueKind.Object
            ? new SummaryStatistic(s.GetProperty("mean").GetDouble(), s.GetProperty("std").ValueKind == JsonValueKind.Null ? 0 : s.GetProperty("std").GetDouble(), s.GetProperty("n").GetInt32())
            : null;

    private static (IReadOnlyList<string> Headings, List<IReadOnlyList<string>> Rows) Table(string markdown)
    {
        var lines = markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Select(Cells).ToList();
        return (lines[0], [.. lines.Skip(1)]);
    }

    // Cells between unescaped pipes, unescaped the way MarkdownReport and ResultsSummary escape them.
    private static IReadOnlyList<string> Cells(string line) =>
        [.. System.Text.RegularExpressions.Regex.Split(line.Trim().Trim('|'), @"(?<!\\)\|")
            .Select(c => System.Text.RegularExpressions.Regex.Replace(c.Trim(), @"\\(.)", "$1"))];

    // Older tables lack columns added since (executed MACs, non-zero parameters): compare the columns they have.
    private static void AssertSameCells((IReadOnlyList<string> Headings, List<IReadOnlyList<string>> Rows) committed,
        (IReadOnlyList<string> Headings, List<IReadOnlyList<string>> Rows) rendered)
    {
        Assert.Equal(committed.Rows.Count, rendered.Rows.Count);
        foreach (string heading in committed.Headings)
        {
            int from = committed.Headings.ToList().IndexOf(heading), to = rendered.Headings.ToList().IndexOf(heading);
            Assert.True(to >= 0, $"column '{heading}' is no longer rendered");
            Assert.Equal(committed.Rows.Select(r => r[from]), rendered.Rows.Select(r => r[to]));
        }
    }
}
