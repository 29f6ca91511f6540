using Shear.Data;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Pruning.Schedules;
using Shear.TestKit;
using Shear.Training;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Experiments.Runs;

/// <summary>Screening end to end: annealed steps with fine-tuning between them, monotone masks, and the
/// channel-structured form compacted step by step.</summary>
public class ScreeningRunTests
{
    private static readonly PruningRequest _request = new()
    {
        Sparsity = 0.8,
        Training = new TrainingOptions { Epochs = 1, BatchSize = 16, LearningRate = 0.05, Seed = 3 },
        FinetuneEpochs = 1,
        // Channel counts as selected: these tests pin selection; alignment (--channel-multiple) has its own.
        Method = new MethodOptions { ScreeningSteps = 3, ScreeningSchedule = StepScheduleKind.Linear, ScreeningSamples = 40, ChannelMultiple = 1 },
    };

    [Fact]
    public void Execute_Unstructured_ThreeLinearSteps_PruneMonotonicallyToTheTarget()
    {
        using var data = SyntheticData.Split(train: 64, test: 16, shape: new ImageShape(1, 8, 8));
        using var folder = new TempDirectory();
        var card = new ModelCard("mlp", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Widths = [16] });

        var result = new PruningRun(folder.Path, card, data, _request, PruningMethods.Get("screening")).Execute(resume: false);

        var details = Assert.IsType<ScreeningDetails>(result.Details);
        Assert.Equal([0.8 / 3, 1.6 / 3, 0.8], details.Steps.Select(s => Math.Round(s.Target, 12)).Select(t => Math.Round(t, 12)), new RoundedComparer());
        Assert.Equal(details.Steps.Select(s => s.Target), details.Steps.Select(s => s.WeightSparsity!.Value), new RoundedComparer(3));
        Assert.Equal(["dense", "step-1", "step-2", "finetune"], result.Phases.Select(p => p.Name));
        Assert.Equal(4, result.TotalEpochs);
        using var first = MaskFile.Load(folder.File("masks/screen-1.bin"), CPU);
        using var last = MaskFile.Load(folder.File("masks/screen-3.bin"), CPU);
        Assert.All(first.Names, n => Assert.False(last[n].logical_and(first[n].logical_not()).any().item<bool>(), $"{n} regrew"));
        Assert.Equal(0.8, result.Sparsity.Sparsity, 3);
    }

    [Fact]
    public void Execute_ChannelTwoSteps_CompactsToTheTargetFractionOfTheOriginalChannels()
    {
        using var data = SyntheticData.Split(train: 48, test: 16, shape: new ImageShape(3, 8, 8));
        using var folder = new TempDirectory();
        var card = new ModelCard("resnet20", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Width = 0.5 });
        var request = _request with
        {
            Sparsity = 0.5,
            Method = _request.Method with { Structure = ScreeningStructure.Channel, ScreeningSteps = 2, ScreeningMagnitude = Pruning.Screening.ChannelMagnitude.Gamma },
        };

        var result = new PruningRun(folder.Path, card, data, request, PruningMethods.Get("screening")).Execute(resume: false);

        var compaction = Assert.IsType<CompactionRecord>(result.Compaction);
        // Recorded against the model the run started from, though it was compacted twice.
        // Per stage: the residual stream and each block's inner channels (ResNet-20 at half width: 8, 16, 32).
        Assert.Equal([8, 8, 8, 8, 16, 16, 16, 16, 32, 32, 32, 32], compaction.Groups.Select(g => g.Channels).Order());
        Assert.All(compaction.Groups, g => Assert.Equal(g.Channels - (g.Channels / 2), g.Kept));
        var details = Assert.IsType<ScreeningDetails>(result.Details);
        Assert.Equal([0.25, 0.5], details.Steps.Select(s => Math.Round(s.ChannelsRemoved!.Value, 2)));
        Assert.True(double.IsFinite(result.Test.Loss));
        var (_, module) = ModelCard.Load(folder.Path, CPU);
        using (module)
        {
            Assert.Equal(compaction.ParametersAfter, module.parameters().Sum(p => p.numel()));
        }
    }

    private sealed class RoundedComparer(int digits = 9) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Round(x, digits) == Math.Round(y, digits);

        public int GetHashCode(double obj) => Math.Round(obj, digits).GetHashCode();
    }
}
