using Shear.TestKit;
using Xunit;

namespace Shear.Cli;

/// <summary>Exit codes, messages and files of the verbs; numerics are tested in the library tests.</summary>
public class CommandLineTests
{
    [Fact]
    public void Info_ResNet20ForCifarShape_PrintsLayersAndTotalAndWritesJson()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "info", "--model", "resnet20", "--input", "3x32x32", "--json", "info.json");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("layer3.2.conv2", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("total", outcome.Output, StringComparison.Ordinal);
        string json = File.ReadAllText(folder.File("info.json"));
        Assert.Contains("\"parameters\":", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_UnknownModel_ExitsNonZeroNamingTheValue()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "info", "--model", "resnet9000", "--input", "1x28x28");

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("resnet9000", outcome.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_MalformedInputShape_ExitsWithBadInputNamingTheFlag()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "info", "--model", "mlp", "--input", "28x28");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--input", outcome.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_MissingDataPath_ExitsWithBadInputNamingThePathAndLeavesNoRunFolder()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "train", "--model", "mlp", "--data", "no/such/folder", "--epochs", "1", "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("no/such/folder", outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void Train_NegativeEpochs_ExitsWithBadInputNamingTheOption()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "train", "--model", "mlp", "--data", "fashion-mnist-subset", "--epochs", "0");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("epochs", outcome.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_ThisHost_ReportsTheLoadedLibTorchAndAWorkingMatmul()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "doctor");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("libtorch_cpu.so", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("matmul OK", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainThenEval_TinyMlpOnTheSubset_WritesResultMetricsAndModelThatEvalReads()
    {
        using var folder = new TempDirectory();

        var train = ShearProcess.Run(folder.Path, "train", "--model", "mlp", "--widths", "32", "--data", "fashion-mnist-subset",
            "--epochs", "1", "--out", "run");
        var eval = ShearProcess.Run(folder.Path, "eval", "run", "--data", "fashion-mnist-subset", "--json", "eval.json");

        Assert.True(train.ExitCode == 0, train.Errors);
        foreach (string file in new[] { "result.json", "metrics.jsonl", "model.json", "model.bin", "checkpoint.bin" })
        {
            Assert.True(File.Exists(folder.File(Path.Combine("run", file))), $"missing {file}");
        }
        Assert.Empty(Directory.GetFiles(folder.File("run"), "*.tmp"));
        Assert.True(eval.ExitCode == 0, eval.Errors);
        Assert.Contains("top1", File.ReadAllText(folder.File("eval.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void BenchTrain_Models_WritesOneTableRowPerModelFromFreshProcesses()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "bench", "train", "--models", "mlp,lenet5", "--handwritten", "--markdown", "training.md",
            "--steps", "1", "--repeats", "1", "--rounds", "1", "--warmup-steps", "0", "--threads", "1");

        Assert.Equal(0, outcome.ExitCode);
        string table = File.ReadAllText(folder.File("training.md"));
        Assert.Contains("| mlp | ", table, StringComparison.Ordinal);
        Assert.Contains("| lenet5 | ", table, StringComparison.Ordinal);
        Assert.Contains("CPU zero fill: off", table, StringComparison.Ordinal);
        // No peer was asked for: its columns are dashes; Shear's memory and the hand-written twin's figures are filled.
        Assert.Matches(@"\| mlp \| [0-9]+ \([0-9]+-[0-9]+\) \| - \| - \| [0-9]+ \| - \| - \| [0-9]+ \([0-9]+-[0-9]+\) \| [0-9.]+ \|", table);
    }

    [Fact]
    public void BenchTrain_UnknownModelInModels_ExitsNonZeroNamingFlagAndValue_WritesNothing()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "bench", "train", "--models", "lenet5,nope", "--markdown", "training.md");

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("--models", outcome.Errors, StringComparison.Ordinal);
        Assert.Contains("nope", outcome.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("training.md")));
    }
}
