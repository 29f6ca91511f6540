using Shear.Data;
using Shear.Experiments.Config;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Pruning.Selection;
using Shear.Training;
using Xunit;

namespace Shear.Experiments.Sweeps;

/// <summary>Run ids name run folders on disk: a sweep skips or resumes a run by finding its folder. These literals
/// were computed before the settings descriptors and the typed sparsity target replaced the hand-written option
/// mapping; if one changes, every existing run folder would be redone. Do not update them to make a test pass.</summary>
public class RunIdStabilityTests
{
    private static readonly ExperimentConfig _config = new()
    {
        Name = "ids",
        Model = "mlp",
        ModelOptions = new ModelOptions { Widths = [16] },
        Training = new TrainingOptions { Epochs = 2, BatchSize = 32 },
        FinetuneEpochs = 1,
        Methods =
        [
            new MethodEntry("magnitude", new MethodOptions(), SelectionKind.Global),
            new MethodEntry("dpp", new MethodOptions(), SelectionKind.Global),
            new MethodEntry("dpp", new MethodOptions { DppM = 8 }, SelectionKind.Global),
        ],
        Sparsities = [0.5, 0.9],
        Seeds = [1],
    };

    [Fact]
    public void Expand_FixedConfig_KeepsItsFolderNamesAndIds()
    {
        var plan = SweepPlan.Expand(_config, "synthetic", new ImageShape(1, 6, 6), 10);

        Assert.Equal(
            [
                "dense-seed1-577ca67744b0", "magnitude-s0.5-seed1-84cae05c2b2d", "magnitude-s0.9-seed1-c5daad5c5e02",
                "dpp-s0-seed1-32eff0bdfb72", "dpp-s0-seed1-c91457b196ac",
            ],
            plan.Select(r => r.Folder));
    }

    [Fact]
    public void Prune_MatchedTarget_KeepsItsId()
    {
        var card = new ModelCard("mlp", new ImageShape(1, 6, 6), 10, new ModelOptions { Widths = [16] });
        var request = new PruningRequest { Target = SparsityTarget.MatchedTo("dpp", 0.8146) };

        var spec = RunSpec.Prune(card, "synthetic", "magnitude", request, null);

        Assert.Equal("magnitude-s0.8146-seed1-9905e4fb7a13", spec.Folder);
    }

    private static readonly ModelCard _card = new("mlp", new ImageShape(1, 28, 28), 10, new ModelOptions { Widths = [32, 16] });

    private static readonly TrainingOptions _training = new()
    {
        Epochs = 4,
        LearningRate = 0.1,
        Schedule = LearningRateScheduleKind.MultiStep,
        Milestones = [2, 3],
        LabelSmoothing = 0.1,
        Augmentation = new AugmentationOptions { CropPadding = 2, HorizontalFlip = true },
        Seed = 3,
    };

    [Fact]
    public void DenseId_OfAFixedSpec_IsPinned()
    {
        Assert.Equal("a3fa568dc6f9", RunSpec.Dense(_card, "fashion-mnist", _training).Id);
    }

    [Fact]
    public void PruneId_OfAFixedSpec_IsPinned()
    {
        var request = new PruningRequest
        {
            Sparsity = 0.8,
            Selection = SelectionKind.Layerwise,
            Scope = new PrunableScope { Kinds = PrunableKinds.ConvAndLinear, ExcludedLayers = ["fc3"] },
            Training = _training,
            FinetuneEpochs = 2,
            FinetuneLearningRate = 0.01,
            Method = new MethodOptions { PmpHorizon = 3, PmpRamp = Pruning.Schedules.RampShape.Cubic, PmpRegrowth = true, L1SkipResidual = true, L1LayerRatios = "fc1=0.5" },
        };

        var spec = RunSpec.Prune(_card, "fashion-mnist", "pmp", request, null);

        Assert.Equal("e1e1c15a16ff", spec.Id);
        Assert.Equal("pmp-s0.8-seed3-" + spec.Id, spec.Folder);
    }

    [Fact]
    public void ChannelMultiple_HashesOnlyWhereReadAndAwayFromTheValueOlderRunsHad()
    {
        string Canonical(string method, int multiple) => RunSpec.Canonical(RunSpec.Prune(_card, "fashion-mnist", method,
            new PruningRequest { Method = new MethodOptions { ChannelMultiple = multiple } }, null)).ToJsonString();

        // Runs made before the setting kept counts as selected (1): they keep their ids whatever the default is.
        Assert.DoesNotContain("channelMultiple", Canonical("l1-filter", ChannelSettings.LegacyMultiple), StringComparison.Ordinal);
        Assert.Contains("\"channelMultiple\":8", Canonical("l1-filter", 8), StringComparison.Ordinal);
        Assert.DoesNotContain("channelMultiple", Canonical("magnitude", 8), StringComparison.Ordinal);
        // Screening of connections does not read it either; screening of channels does.
        Assert.DoesNotContain("channelMultiple", Canonical("screening", 8), StringComparison.Ordinal);
        string channels = RunSpec.Canonical(RunSpec.Prune(_card, "fashion-mnist", "screening", new PruningRequest
        {
            Method = new MethodOptions { ChannelMultiple = 8, Structure = ScreeningStructure.Channel },
        }, null)).ToJsonString();
        Assert.Contains("\"channelMultiple\":8", channels, StringComparison.Ordinal);
    }

    [Fact]
    public void PruneId_WithEveryOptionAtItsDefault_IsPinned()
    {
        var spec = RunSpec.Prune(_card, "fashion-mnist", "magnitude", new PruningRequest(), "abc");

        Assert.Equal("4920eb568055", spec.Id);
    }
}
