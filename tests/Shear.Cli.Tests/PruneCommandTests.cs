using System.Text.Json;
using Shear.TestKit;
using Xunit;

namespace Shear.Cli;

/// <summary>`shear prune` and `shear analyze`: flag validation, exit codes, files.</summary>
public class PruneCommandTests
{
    [Fact]
    public void Prune_UnknownMethod_ExitsWithBadInputListingTheMethods()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--method", "magic", "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("magic", outcome.Errors, StringComparison.Ordinal);
        Assert.Contains("synflow", outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("-0.1")]
    public void Prune_SparsityOutsideUnitInterval_NamesTheFlag(string sparsity)
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--method", "magnitude", "--sparsity", sparsity, "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--sparsity must be in [0, 1)", outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void Prune_FlagOfAnotherMethod_IsRefusedNamingBoth()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--method", "snip", "--lth-rate", "0.3", "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--lth-rate applies to lth, not to --method snip", outcome.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--pmp-ramp", "square", "--pmp-ramp: expected one of linear, cubic, got 'square'")]
    [InlineData("--recipe", "fast", "--recipe: unknown recipe 'fast' (known: default, pmp)")]
    public void Prune_BadPmpValue_NamesTheFlagAndWhatItExpected(string flag, string value, string message)
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--method", "pmp", flag, value, "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains(message, outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void Prune_PmpFlagGivenToAnotherMethod_IsRefused()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--method", "gmp", "--pmp-regrowth", "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--pmp-regrowth applies to pmp, not to --method gmp", outcome.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--sparsity", "0.5", "--method dpp finds each layer's sparsity itself")]
    [InlineData("--sparsity-of", "elsewhere", "--method dpp finds each layer's sparsity itself")]
    public void Prune_DppGivenASparsity_IsRefused(string flag, string value, string message)
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--method", "dpp", flag, value, "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains(message, outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void Prune_SparsityOfAFolderWithoutResult_NamesTheFlagAndFolder()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--method", "magnitude", "--sparsity-of", "nowhere", "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--sparsity-of nowhere: no result.json", outcome.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Prune_DppThenMagnitudeAtItsSparsity_OnAHeldOutSplit_MatchesExactlyAndRecordsBoth()
    {
        using var folder = new TempDirectory();
        string[] common = ["--model", "mlp", "--widths", "16", "--data", "fashion-mnist-subset", "--holdout", "0.1", "--epochs", "1", "--finetune-epochs", "0"];

        var dpp = ShearProcess.Run(folder.Path, ["prune", .. common, "--method", "dpp", "--out", "dpp"]);
        var matched = ShearProcess.Run(folder.Path, ["prune", .. common, "--method", "magnitude", "--sparsity-of", "dpp", "--out", "matched"]);

        Assert.Equal(ExitCodes.Ok, dpp.ExitCode);
        Assert.Equal(ExitCodes.Ok, matched.ExitCode);
        using var first = JsonDocument.Parse(File.ReadAllText(folder.File("dpp/result.json")));
        using var second = JsonDocument.Parse(File.ReadAllText(folder.File("matched/result.json")));
        var (a, b) = (first.RootElement, second.RootElement);
        Assert.Equal(a.GetProperty("sparsity").GetProperty("countedNonZeros").GetInt64(), b.GetProperty("sparsity").GetProperty("countedNonZeros").GetInt64());
        Assert.Equal("dpp", b.GetProperty("request").GetProperty("sparsityMatchedTo").GetString());
        Assert.Equal("fashion-mnist-subset-holdout0.1", a.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(1000, a.GetProperty("data").GetProperty("test").GetInt32());
        Assert.True(a.GetProperty("details").GetProperty("rounds")[0].GetProperty("layers").GetArrayLength() == 2, "one fitted model per layer of the 784-16-10 MLP");
    }

    [Theory]
    [InlineData("--epochs", "2", "--pmp-horizon must be at most the 2 epochs it trains (--epochs), got 3")]
    [InlineData("--from", "somewhere", "--pmp-horizon must be at most the 2 fine-tune epochs it trains after --from (--finetune-epochs), got 3")]
    public void Prune_PmpHorizonBeyondItsEpochs_IsRefusedBeforeTheDataLoads(string flag, string value, string message)
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--method", "pmp", flag, value, "--finetune-epochs", "2",
            "--pmp-horizon", "3", "--data", "no/such/folder", "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains(message, outcome.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("no/such/folder", outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void Prune_LthRewindStepBeyondARound_IsRefusedBeforeTraining()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--widths", "16", "--method", "lth", "--lth-rounds", "1",
            "--rewind-step", "100000", "--epochs", "1", "--data", "fashion-mnist-subset", "--threads", "1", "--out", "run");

        // The steps of a round follow from the training set, so the check waits for the data, but not for training.
        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Matches(@"--rewind-step must be at most the \d+ optimizer steps of a round \(--epochs 1 x \d+ batches of --batch 128\), got 100000", outcome.Errors);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void Prune_UnknownExcludedLayer_NamesTheLayerAndTheValidOnes()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--data", "fashion-mnist-subset", "--method", "magnitude",
            "--exclude-layers", "fc9", "--epochs", "1", "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--exclude-layers: 'fc9' is not a prunable layer of mlp (prunable: fc1, fc2, fc3)", outcome.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void PruneThenAnalyze_Magnitude_WritesResultAndReportsTheSparsity()
    {
        using var folder = new TempDirectory();

        var prune = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--widths", "32", "--data", "fashion-mnist-subset",
            "--method", "magnitude", "--sparsity", "0.8", "--epochs", "1", "--finetune-epochs", "1", "--out", "run");
        var analyze = ShearProcess.Run(folder.Path, "analyze", "run", "--data", "fashion-mnist-subset", "--json", "analysis.json");

        Assert.Equal(0, prune.ExitCode);
        Assert.Equal(0, analyze.ExitCode);
        using var result = JsonDocument.Parse(File.ReadAllText(folder.File("run/result.json")));
        Assert.Equal("magnitude", result.RootElement.GetProperty("method").GetString());
        Assert.Equal(0.8, result.RootElement.GetProperty("sparsity").GetProperty("sparsity").GetDouble(), 4);
        using var analysis = JsonDocument.Parse(File.ReadAllText(folder.File("analysis.json")));
        Assert.Equal(0.8, analysis.RootElement.GetProperty("sparsity").GetProperty("sparsity").GetDouble(), 4);
        Assert.Contains("80.00 %", analyze.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Prune_EpochsWithFrom_IsRefusedNamingBothFlags()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--method", "magnitude", "--from", "somewhere", "--epochs", "3");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--epochs and --from exclude each other", outcome.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Prune_RefreshLatencyWithoutALatencyTarget_IsRefusedNamingBothFlags()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "resnet20", "--method", "l1-filter", "--refresh-latency");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--refresh-latency", outcome.Errors, StringComparison.Ordinal);
        Assert.Contains("--target-latency-ratio", outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("runs")));
    }

    [Fact]
    public void Prune_L1Filter_ReportsTheChannelsRemovedAndSavesTheSmallerModel()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "lenet5", "--method", "l1-filter", "--sparsity", "0.5",
            "--epochs", "1", "--finetune-epochs", "1", "--data", "fashion-mnist-subset", "--threads", "1", "--out", "run");

        Assert.True(outcome.ExitCode == ExitCodes.Ok, outcome.Errors);
        string text = System.Text.RegularExpressions.Regex.Replace(outcome.Output, @"\s+", " "); // Spectre wraps lines
        Assert.Contains("of the channels removed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("at sparsity 0.00 %", text, StringComparison.Ordinal);
        Assert.Contains("\"description\"", File.ReadAllText(folder.File("run/model.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Prune_RandomChannel_CompactsAndKeepsItsPlan()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "lenet5", "--method", "random-channel", "--sparsity", "0.5",
            "--channel-floor", "2", "--epochs", "1", "--finetune-epochs", "0", "--data", "fashion-mnist-subset", "--threads", "1", "--out", "run");

        Assert.True(outcome.ExitCode == ExitCodes.Ok, outcome.Errors);
        string text = System.Text.RegularExpressions.Regex.Replace(outcome.Output, @"\s+", " ");
        Assert.Contains("of the channels removed", text, StringComparison.Ordinal);
        Assert.Contains("\"description\"", File.ReadAllText(folder.File("run/model.json")), StringComparison.Ordinal);
        Assert.True(File.Exists(folder.File("run/plans/filters.json")));
    }

    [Fact]
    public void Prune_ScratchMethodFromATrainedRun_IsRefusedBeforeTheDataLoads()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "mlp", "--method", "grasp", "--from", "somewhere",
            "--data", "no/such/folder", "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--from: 'grasp' prunes at initialisation and cannot start from a trained model", outcome.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("no/such/folder", outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Theory]
    [InlineData("magnitude", "--structure", "channel", "--structure applies to screening, not to --method magnitude")]
    [InlineData("screening", "--structure", "diagonal", "--structure: expected one of unstructured, channel, got 'diagonal'")]
    [InlineData("screening", "--screening-alpha", "1.5", "--screening-alpha must be in [0, 1], got 1.5")]
    [InlineData("cdp-dtc", "--sparsity", "0.5", "--method cdp-dtc finds each layer's sparsity itself")]
    [InlineData("cdp-dtc", "--dtc-threshold", "0", "--dtc-threshold must be positive, got 0")]
    public void Prune_BadScreeningOrCdpInput_NamesTheFlag(string method, string flag, string value, string message)
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "lenet5", "--method", method, flag, value, "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains(message, outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Theory]
    [InlineData("l1-filter", "--channel-floor", "0", "--channel-floor must be at least 1, got 0")]
    [InlineData("l1-filter", "--l1-layer-ratios", "fc1=2", "--l1-layer-ratios: 'fc1=2' is not layer=ratio with a ratio in [0, 1)")]
    [InlineData("magnitude", "--milestones", "2,x", "--milestones: expected an integer, got 'x'")]
    [InlineData("magnitude", "--optimizer", "lion", "--optimizer: expected one of sgd, adam, adam-w, got 'lion'")]
    [InlineData("magnitude", "--scope", "bias", "--scope: expected one of conv-and-linear, conv, linear, got 'bias'")]
    [InlineData("pmp", "--pmp-initial-sparsity", "0.95", "--pmp-initial-sparsity must be at most --sparsity (0.9), got 0.95")]
    [InlineData("magnitude", "--width", "9", "--width must be in (0, 8], got 9")]
    [InlineData("magnitude", "--widths", "16,0", "--widths must list positive integers, got [16, 0]")]
    [InlineData("magnitude", "--widths", "16,x", "--widths: expected an integer, got 'x'")]
    [InlineData("magnitude", "--stem", "tall", "--stem: expected one of auto, cifar, image-net, got 'tall'")]
    public void Prune_BadSettingValue_NamesTheFlag(string method, string flag, string value, string message)
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "lenet5", "--method", method, flag, value, "--out", "run");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains(message, outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void Prune_ScreeningChannel_CompactsAndWritesItsDetails()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "prune", "--model", "lenet5", "--method", "screening", "--structure", "channel", "--channel-multiple", "1",
            "--sparsity", "0.5", "--screening-samples", "200", "--epochs", "1", "--finetune-epochs", "0", "--data", "fashion-mnist-subset",
            "--threads", "1", "--out", "run");

        Assert.True(outcome.ExitCode == ExitCodes.Ok, outcome.Errors);
        string text = System.Text.RegularExpressions.Regex.Replace(outcome.Output, @"\s+", " ");
        Assert.Contains("50.00 % of the channels removed", text, StringComparison.Ordinal);
        Assert.Contains("\"structure\": \"channel\"", File.ReadAllText(folder.File("run/details.json")), StringComparison.Ordinal);
    }
}
