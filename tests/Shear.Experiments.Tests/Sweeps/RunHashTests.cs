using Shear.Data;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Pruning.Selection;
using Shear.Training;
using Xunit;

namespace Shear.Experiments.Sweeps;

/// <summary>
/// Run ids name the folders of finished runs: a sweep skips a run whose folder exists. These literals were computed
/// before the settings descriptors replaced the hand-written option mapping; if they change, every existing run
/// folder would be redone. Do not update them to make the test pass.
/// </summary>
public class RunHashTests
{
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
    public void PruneId_WithEveryOptionAtItsDefault_IsPinned()
    {
        var spec = RunSpec.Prune(_card, "fashion-mnist", "magnitude", new PruningRequest(), "abc");

        Assert.Equal("4920eb568055", spec.Id);
    }
}
