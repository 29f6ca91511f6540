using System.Text.Json;
using Shear.TestKit;
using Xunit;

namespace Shear.Experiments.Reports;

public class ReportWriterTests
{
    private static readonly string[] _models = ["lenet5", "mlp"];

    private static ReportOutput WriteSweep(TempDirectory folder) =>
        ReportWriter.Write([.. _models.SelectMany(m => SampleRecords.Sweep(m))], new ReportOptions { OutputDirectory = folder.Path, Title = "Sweep" });

    [Fact]
    public void Write_Sweep_DrawsFourFiguresPerModelAsPngAndSvg()
    {
        using var folder = new TempDirectory();

        var output = WriteSweep(folder);

        string[] kinds = ["accuracy", "macs", "layers", "curves"];
        Assert.Equal(_models.Length * kinds.Length * 2, output.Figures.Count);
        foreach (string name in _models.SelectMany(m => kinds.Select(k => $"{m}-{k}")))
        {
            string png = folder.File($"figures/{name}.png");
            Assert.True(ReportFiles.IsPng(png), $"{name}.png is not a PNG");
            Assert.True(new FileInfo(png).Length > 10_000, $"{name}.png has only {new FileInfo(png).Length} bytes");
            Assert.True(ReportFiles.PngSize(png).Width >= 900, $"{name}.png is narrower than 900 px");
            string svg = File.ReadAllText(folder.File($"figures/{name}.svg"));
            Assert.Contains("<svg", svg, StringComparison.Ordinal);
            // Text is what SkiaSharp 4's NoDependencies build loses without ReportFonts.
            Assert.True(!ReportFonts.TextRenders || svg.Contains("<text", StringComparison.Ordinal), $"{name}.svg has no text");
        }
    }

    [Fact]
    public void Write_Sweep_IndexReferencesOnlyFilesThatExist()
    {
        using var folder = new TempDirectory();

        var output = WriteSweep(folder);

        string html = File.ReadAllText(output.Index);
        var links = ReportFiles.LocalLinks(html);
        Assert.Equal(8, ReportFiles.Images(html).Count);
        Assert.All(links, link => Assert.True(File.Exists(Path.Combine(folder.Path, link)), $"index.html links to missing {link}"));
        Assert.DoesNotContain("http", string.Join(" ", links), StringComparison.Ordinal);
        Assert.Contains($"id=\"{HtmlReport.ImageCheckId}\"", html, StringComparison.Ordinal);
        Assert.Contains("TorchSharp 0.107.0.0, 2 threads, device cpu", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Sweep_MarkdownHasSpreadCountsDenseRowsAndEnvironmentFooter()
    {
        using var folder = new TempDirectory();

        var output = WriteSweep(folder);

        string md = File.ReadAllText(output.Markdown);
        Assert.Contains(" ± ", md, StringComparison.Ordinal);
        Assert.Contains("(n=3)", md, StringComparison.Ordinal);
        Assert.Contains("| dense | 0 % | 92.00 ± 1.00 % (n=3) |", md, StringComparison.Ordinal);
        Assert.Contains("| magnitude | 90 % |", md, StringComparison.Ordinal);
        Assert.Contains("## Environment", md, StringComparison.Ordinal);
        Assert.Contains("Shear 0.1.0+test, TorchSharp 0.107.0.0, 2 threads, device cpu, OS Debian GNU/Linux 12 (bookworm), CPU X64, 2 logical cores (42 runs)", md, StringComparison.Ordinal);
        Assert.True(md.IndexOf("## lenet5", StringComparison.Ordinal) < md.IndexOf("## mlp", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_Sweep_JsonHoldsTheAggregatesAndNoTemporaryFileIsLeft()
    {
        using var folder = new TempDirectory();

        var output = WriteSweep(folder);

        using var document = JsonDocument.Parse(File.ReadAllText(output.Json));
        var rows = document.RootElement.GetProperty("rows");
        Assert.Equal(2 * (1 + 2 * 3), rows.GetArrayLength());
        var dense = rows.EnumerateArray().First(r => r.GetProperty("model").GetString() == "mlp");
        Assert.Equal("dense", dense.GetProperty("method").GetString());
        Assert.Equal(0.92, dense.GetProperty("top1").GetProperty("mean").GetDouble(), 12);
        Assert.Equal(0.01, dense.GetProperty("top1").GetProperty("std").GetDouble(), 12);
        Assert.Equal(3, dense.GetProperty("top1").GetProperty("n").GetInt32());
        Assert.Equal(0.9, document.RootElement.GetProperty("sparsity").GetDouble());
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Rows_ThreeSeeds_MeanAndSampleStandardDeviation()
    {
        var records = new[] { 0.8, 0.9, 1.0 }.Select((top1, i) => SampleRecords.Dense("mlp", i + 1, top1)).ToList();

        var row = Assert.Single(ReportAggregation.Rows(records));

        Assert.Equal(0.9, row.Top1.Mean, 12);
        Assert.Equal(0.1, row.Top1.Std, 12);
        Assert.Equal(3, row.Top1.N);
        Assert.Equal([1L, 2L, 3L], row.Seeds);
    }

    [Fact]
    public void Rows_SingleSeed_HasNoSpreadAndPrintsWithoutOne()
    {
        var row = Assert.Single(ReportAggregation.Rows([SampleRecords.Pruned("mlp", "magnitude", 0.5, 7)]));

        Assert.Null(ReportFormat.Spread(row.Top1));
        Assert.DoesNotContain("±", ReportFormat.Percent(row.Top1, withCount: true), StringComparison.Ordinal);
        Assert.EndsWith("(n=1)", ReportFormat.Percent(row.Top1, withCount: true), StringComparison.Ordinal);
    }

    [Fact]
    public void ChooseSparsity_Default_IsTheHighestTarget()
    {
        Assert.Equal(0.9, ReportWriter.ChooseSparsity(SampleRecords.Sweep(), requested: null));
        Assert.Equal(0.5, ReportWriter.ChooseSparsity(SampleRecords.Sweep(), requested: 0.5));
    }

    [Fact]
    public void ChooseSparsity_TargetNoRunHas_ErrorListsThePresentOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => ReportWriter.ChooseSparsity(SampleRecords.Sweep(), requested: 0.7));

        Assert.Equal("--sparsity 0.7: no pruning run targets 70 %; targets present: 50 %, 80 %, 90 %", error.Message);
    }

    [Fact]
    public void Write_NoRecords_Throws()
    {
        using var folder = new TempDirectory();

        Assert.Throws<ArgumentException>(() => ReportWriter.Write([], new ReportOptions { OutputDirectory = folder.Path }));
    }

    [Fact]
    public void Phases_TwoPhaseCurve_NamesConsecutiveEpochRanges()
    {
        Assert.Equal("train 1-3, finetune 4-5", RunFigures.Phases(SampleRecords.Pruned("mlp", "magnitude", 0.5, 1)));
    }
}
