using Shear.Experiments.Sweeps;
using Shear.TestKit;
using Xunit;

namespace Shear.Experiments.Config;

/// <summary>Settings read through their descriptors: one boolean/enum/list parser for every key, and every bad
/// value reported at its key's line and column.</summary>
public class ConfigSettingsTests
{
    private static string Config(string training, string method) => $"""
        name: settings
        data: fashion-mnist-subset
        model:
          key: mlp
          widths: [16]
        training:
          epochs: 4
        {training}
        methods:
          - method: {method}
        sparsities: [0.5]
        """;

    private static (ExperimentConfig? Config, ConfigException? Error, string File) Load(string text, int? trainingSamples = null)
    {
        using var dir = new TempDirectory();
        string file = dir.File("c.yaml");
        File.WriteAllText(file, text);
        try
        {
            return (ConfigLoader.Load(file, trainingSamples), null, file);
        }
        catch (ConfigException e)
        {
            return (null, e, file);
        }
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("True", true)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    public void Booleans_ReadTheSameForEveryKey(string spelling, bool value)
    {
        var (config, error, _) = Load(Config($"  flip: {spelling}\n  nesterov: {spelling}", $"l1-filter\n    l1-skip-residual: {spelling}"));

        Assert.Null(error);
        Assert.Equal((value, value, value), (config!.Training.Augmentation.HorizontalFlip, config.Training.Nesterov, config.Methods[0].Options.L1SkipResidual));
    }

    [Fact]
    public void ChannelFloorZero_IsAnErrorAtTheKeyNotTheEntry()
    {
        var (_, error, file) = Load(Config("", "l1-filter\n    channel-floor: 0"));

        Assert.Equal($"{file}:11:20: methods[0].channel-floor: must be at least 1, got 0", error!.Message);
    }

    [Fact]
    public void HorizonNotAfterStart_IsAnErrorAtTheHorizon()
    {
        var (_, error, file) = Load(Config("", "pmp\n    pmp-start-epoch: 2\n    pmp-horizon: 2"));

        Assert.Equal($"{file}:12:18: methods[0].pmp-horizon: must be after --pmp-start-epoch (2), got 2", error!.Message);
    }

    [Fact]
    public void PmpInitialSparsityAboveTheTarget_IsAnErrorAtLoadNotInTheRun()
    {
        var (_, error, file) = Load(Config("", "pmp\n    pmp-initial-sparsity: 0.6"));

        Assert.Equal($"{file}:11:27: methods[0].pmp-initial-sparsity: must be at most --sparsity (0.5), got 0.6", error!.Message);
    }

    [Fact]
    public void MalformedLayerRatios_AreAnErrorAtTheKey()
    {
        var (_, error, file) = Load(Config("", "l1-filter\n    l1-layer-ratios: fc1=2"));

        Assert.Equal($"{file}:11:22: methods[0].l1-layer-ratios: 'fc1=2' is not layer=ratio with a ratio in [0, 1)", error!.Message);
    }

    [Fact]
    public void Milestones_ReadAsAListAndCheckedAgainstTheEpochs()
    {
        var (config, _, _) = Load(Config("  schedule: multi-step\n  milestones: [2, 3]", "magnitude"));
        var (_, error, file) = Load(Config("  schedule: multistep\n  milestones: [2, 9]", "magnitude"));

        Assert.Equal([2, 3], config!.Training.Milestones);
        Assert.Equal($"{file}:9:15: training.milestones: must lie in (0, epochs] = (0, 4], got [2, 9]", error!.Message);
    }

    [Fact]
    public void MethodBudget_OverridesTheExperimentsForItsRowsAndRoundTrips()
    {
        var (config, error, _) = Load(Config("", "magnitude\n    epochs: 2\n    finetune-epochs: 3\n    sparsities: [0.7, 0.9]\n  - method: snip"));
        Assert.Null(error);
        var (again, _, _) = Load(ConfigWriter.Write(config!));

        var plan = SweepPlan.Expand(again!, "data", new Data.ImageShape(1, 28, 28), 10);

        var magnitude = plan.Where(r => r.Method == "magnitude").ToList();
        Assert.Equal([0.7, 0.9], magnitude.Select(r => r.Request!.Sparsity));
        Assert.All(magnitude, r => Assert.Equal((2, 3), (r.Training.Epochs, r.Request!.FinetuneEpochs)));
        var snip = Assert.Single(plan, r => r.Method == "snip");
        Assert.Equal((4, 5, 0.5), (snip.Training.Epochs, snip.Request!.FinetuneEpochs, snip.Request.Sparsity));
        // Two dense runs: the experiment's 4 epochs (the dense row) and the 2 that magnitude prunes.
        var dense = plan.Where(r => r.Method is null).ToList();
        Assert.Equal([4, 2], dense.Select(r => r.Training.Epochs));
        Assert.All(magnitude, r => Assert.Equal(dense[1].Id, r.DenseId));
    }

    [Fact]
    public void FinetuneLearningRateZero_IsAnErrorAtFinetuneLr()
    {
        var (_, error, file) = Load(Config("finetune:\n  lr: 0", "magnitude\n    selection: Layerwise"));

        Assert.Equal($"{file}:9:7: finetune.lr: must be positive, got 0", error!.Message);
    }

    [Fact]
    public void MethodBudget_OutOfRange_IsAnErrorAtItsKey()
    {
        var (_, error, file) = Load(Config("", "magnitude\n    finetune-epochs: -1"));

        Assert.Equal($"{file}:11:22: methods[0].finetune-epochs: must be at least 0, got -1", error!.Message);
    }

    [Fact]
    public void PmpHorizonBeyondTheEpochs_IsAnErrorAtLoadNotInTheRun()
    {
        var (_, error, file) = Load(Config("", "pmp\n    pmp-horizon: 5"));
        var (_, start, _) = Load(Config("", "pmp\n    epochs: 2\n    pmp-start-epoch: 2"));

        Assert.Equal($"{file}:11:18: methods[0].pmp-horizon: must be at most the 4 epochs it trains (--epochs), got 5", error!.Message);
        // A method's own epochs are the ones its schedule spans.
        Assert.EndsWith("12:22: methods[0].pmp-start-epoch: must be below the 2 epochs it trains (--epochs), got 2", start!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LthRewindStepBeyondARound_IsAnErrorAtTheKeyOnceTheTrainingSetsSizeIsKnown()
    {
        string text = Config("", "lth\n    lth-rounds: 1\n    rewind-step: 17");

        var (config, _, _) = Load(text);
        var (_, error, file) = Load(text, trainingSamples: 500);
        var (fits, _, _) = Load(text, trainingSamples: 540);

        // Without the data the step count is unknown; 500 samples in batches of 128 make 4 steps an epoch, 540 make 5.
        Assert.NotNull(config);
        Assert.Equal($"{file}:12:18: methods[0].rewind-step: must be at most the 16 optimizer steps of a round (--epochs 4 x 4 batches of --batch 128), got 17", error!.Message);
        Assert.NotNull(fits);
    }

    [Theory]
    [InlineData("  widths: [16, 0]", "5:11: model.widths: must list positive integers, got [16, 0]")]
    [InlineData("  widths: [16, x]", "5:11: model.widths: expected an integer, got 'x'")]
    [InlineData("  widths: [16]\n  width: 9", "6:10: model.width: must be in (0, 8], got 9")]
    [InlineData("  widths: [16]\n  stem: tall", "6:9: model.stem: expected one of auto, cifar, image-net, got 'tall'")]
    public void ModelSettings_BadValue_IsAnErrorAtItsKey(string lines, string message)
    {
        var (_, error, file) = Load(Config("", "magnitude").Replace("  widths: [16]", lines, StringComparison.Ordinal));

        Assert.Equal($"{file}:{message}", error!.Message);
    }

    [Fact]
    public void ScopeAndModel_ReadThroughTheirSettings_AndRoundTrip()
    {
        var (config, error, _) = Load(Config("scope:\n  kinds: conv\n  exclude-layers: [fc1, fc3]", "magnitude").Replace("  widths: [16]", "  widths: 16,8\n  stem: imagenet\n  width: 0.5", StringComparison.Ordinal));
        Assert.Null(error);
        var (again, _, _) = Load(ConfigWriter.Write(config!));

        Assert.Equal((Masks.PrunableKinds.Conv, "fc1,fc3"), (config!.Scope.Kinds, string.Join(',', config.Scope.ExcludedLayers)));
        Assert.Equal([16, 8], config.ModelOptions.Widths!);
        Assert.Equal((Models.ResNetStem.ImageNet, 0.5), (config.ModelOptions.Stem, config.ModelOptions.Width));
        Assert.Equal(ConfigWriter.Write(config), ConfigWriter.Write(again!));
        Assert.Contains("  exclude-layers: [fc1, fc3]\n", ConfigWriter.Write(config), StringComparison.Ordinal);
    }

    [Fact]
    public void ScopeKinds_BadValue_IsAnErrorAtTheKey()
    {
        var (_, error, file) = Load(Config("scope:\n  kinds: bias", "magnitude"));

        Assert.Equal($"{file}:9:10: scope.kinds: expected one of conv-and-linear, conv, linear, got 'bias'", error!.Message);
    }
}
