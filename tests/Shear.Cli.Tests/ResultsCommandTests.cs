using System.Text.Json;
using Shear.Experiments.Runs;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Runtime;
using Shear.TestKit;
using Shear.Training;
using Xunit;

namespace Shear.Cli;

/// <summary>Four real tiny runs made in-process once: dense and magnitude 50 %, seeds 1 and 2 each.</summary>
public sealed class ResultsFolderFixture : IDisposable
{
    private readonly TempDirectory _template = new();

    public ResultsFolderFixture()
    {
        // libtorch must be loadable before Build touches a TorchSharp type.
        TorchRuntime.Initialize();
        Build(_template);
    }

    /// <summary>The folder of runs <c>dense-s1</c>, <c>dense-s2</c>, <c>mag-s1</c>, <c>mag-s2</c>; copy before use.</summary>
    public string Template => _template.Path;

    public void CopyTo(string destination, params string[] runs)
    {
        foreach (string run in runs)
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Template, run), "*", SearchOption.AllDirectories))
            {
                string to = Path.Combine(destination, Path.GetRelativePath(Template, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to);
            }
        }
    }

    public void Dispose() => _template.Dispose();

    private static void Build(TempDirectory folder)
    {
        using var data = SyntheticData.Split(train: 64, test: 16);
        var card = new ModelCard("mlp", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Widths = [16] });
        foreach (long seed in new long[] { 1, 2 })
        {
            var training = new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 0.05, Seed = seed };
            new TrainingRun(folder.File($"dense-s{seed}"), card, data, training).Execute(resume: false);
            var request = new PruningRequest { Sparsity = 0.5, Training = training, FinetuneEpochs = 1 };
            new PruningRun(folder.File($"mag-s{seed}"), card, data, request, PruningMethods.Get("magnitude")).Execute(resume: false);
        }
    }
}

/// <summary>`shear results`: exit codes, tables, JSON and Markdown files; the numbers are tested in the library.</summary>
public class ResultsCommandTests(ResultsFolderFixture runs) : IClassFixture<ResultsFolderFixture>
{
    private static readonly string[] _all = ["dense-s1", "dense-s2", "mag-s1", "mag-s2"];

    [Fact]
    public void List_FolderOfRuns_PrintsEveryRunAndWritesThemAsJson()
    {
        using var folder = Folder();

        var outcome = ShearProcess.Run(folder.Path, "results", "list", "runs", "--json", "list.json");

        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        Assert.Contains("mag-s2", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("dense", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("4 runs in", outcome.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(folder.File("runs/results.db")));
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("list.json")));
        Assert.Equal(_all, json.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public void List_Filters_KeepOnlyTheMatchingRun()
    {
        using var folder = Folder();

        var outcome = ShearProcess.Run(folder.Path, "results", "list", "runs", "--model", "mlp", "--method", "magnitude",
            "--sparsity", "0.5", "--seed", "2", "--json", "list.json");

        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("list.json")));
        var run = Assert.Single(json.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("mag-s2", run.GetProperty("id").GetString());
    }

    [Fact]
    public void List_MissingFolder_ExitsWithBadInputNamingThePath()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "results", "list", "no/such/results");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("no/such/results", outcome.Errors, StringComparison.Ordinal);
        Assert.Single(outcome.Errors.Trim().Split('\n'));
    }

    [Fact]
    public void List_SparsityOutsideUnitInterval_ExitsWithBadInputNamingTheFlag()
    {
        using var folder = Folder();

        var outcome = ShearProcess.Run(folder.Path, "results", "list", "runs", "--sparsity", "1.5");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--sparsity must be in [0, 1), got 1.5", outcome.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_TwoSeedsPerGroup_PrintsMeanStdCellsAndWritesJsonAndMarkdown()
    {
        using var folder = Folder();

        var outcome = ShearProcess.Run(folder.Path, "results", "compare", "runs", "--json", "compare.json", "--markdown", "compare.md");

        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        Assert.Contains(" ± ", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("(2)", outcome.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("compare.json")));
        var groups = json.RootElement.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["dense", "magnitude"], groups.Select(g => g.GetProperty("method").GetString()));
        Assert.All(groups, g => Assert.Equal(2, g.GetProperty("top1").GetProperty("n").GetInt32()));
        var markdown = File.ReadAllLines(folder.File("compare.md"));
        // The data sentence, a blank line, heading, separator, one line per group.
        Assert.Equal(6, markdown.Length);
        Assert.StartsWith("Data: ", markdown[0], StringComparison.Ordinal);
        Assert.EndsWith(", 64 training images, top-1 on 16 test images.", markdown[0], StringComparison.Ordinal);
        Assert.Contains("| mlp | magnitude | 50 % |", markdown[5], StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_MethodFilter_KeepsTheDenseBaselines()
    {
        using var folder = Folder();

        var outcome = ShearProcess.Run(folder.Path, "results", "compare", "runs", "--method", "magnitude", "--seed", "1", "--json", "compare.json");

        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("compare.json")));
        var groups = json.RootElement.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["dense", "magnitude"], groups.Select(g => g.GetProperty("method").GetString()));
        Assert.All(groups, g => Assert.Equal(1, g.GetProperty("top1").GetProperty("n").GetInt32()));
    }

    [Fact]
    public void Show_RunId_PrintsScalarsLayersAndFinalPhase()
    {
        using var folder = Folder();

        var outcome = ShearProcess.Run(folder.Path, "results", "show", "mag-s2", "--results", "runs");

        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        foreach (string expected in new[] { "non-zero parameters", "MACs effective", "per-layer sparsity", "fc1", "final phase: finetune" })
        {
            Assert.Contains(expected, outcome.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Show_AmbiguousPrefix_ExitsWithBadInputListingTheCandidates()
    {
        using var folder = Folder();

        var outcome = ShearProcess.Run(folder.Path, "results", "show", "mag", "--results", "runs");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("run id 'mag' is ambiguous", outcome.Errors, StringComparison.Ordinal);
        Assert.Contains("mag-s1", outcome.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_TwoShards_CopiesTheUnionThatListThenShows()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.File("a"), "dense-s1", "mag-s1");
        runs.CopyTo(folder.File("b"), "dense-s1", "dense-s2", "mag-s2");

        var merge = ShearProcess.Run(folder.Path, "results", "merge", "a", "b", "--out", "all");
        var list = ShearProcess.Run(folder.Path, "results", "list", "all");

        Assert.True(merge.ExitCode == 0, merge.Errors);
        Assert.Contains("copied 4 runs, skipped 1 identical", merge.Output, StringComparison.Ordinal);
        Assert.True(list.ExitCode == 0, list.Errors);
        Assert.Contains("4 runs in", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_WithoutOut_ExitsWithBadInput()
    {
        using var folder = Folder();

        var outcome = ShearProcess.Run(folder.Path, "results", "merge", "runs");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--out", outcome.Errors, StringComparison.Ordinal);
    }

    /// <summary>A working folder with the four runs under <c>runs/</c>.</summary>
    private TempDirectory Folder()
    {
        var folder = new TempDirectory();
        runs.CopyTo(folder.File("runs"), _all);
        return folder;
    }
}
