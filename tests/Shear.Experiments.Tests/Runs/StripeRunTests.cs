using Shear.Data;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Pruning.Stripes;
using Shear.TestKit;
using Shear.Training;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Experiments.Runs;

/// <summary>CDP + DTC end to end: trained with skeletons from scratch, empty filters compacted away, dropped
/// stripes still zero after fine-tuning, no NaN.</summary>
public class StripeRunTests
{
    private static readonly PruningRequest _request = new()
    {
        Training = new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.05, Seed = 2 },
        FinetuneEpochs = 1,
        // Strong enough to empty filters within a few dozen steps. The step from "nothing pruned" to "most groups at
        // the channel floor" is narrow (docs/results/screening-cdp); this sits on the far side of it, where the
        // outcome does not hinge on rounding. Partial pruning is tested on hand-made skeletons (StripePruningTests).
        // Channel counts as selected: these tests pin filter removal; alignment (--channel-multiple) has its own.
        Method = new MethodOptions { CdpProp = 1, DtcThreshold = 0.3, ChannelMultiple = 1 },
    };

    [Theory]
    [InlineData("vgg11", CdpForm.Intended)]
    [InlineData("resnet20", CdpForm.Coded)]
    public void Execute_CdpDtc_RemovesFiltersAndKeepsDroppedStripesAtZero(string model, CdpForm form)
    {
        using var data = SyntheticData.Split(train: 96, test: 16, shape: new ImageShape(3, 8, 8));
        using var folder = new TempDirectory();
        var card = new ModelCard(model, data.Train.Shape, data.Train.ClassCount, new ModelOptions { Width = 0.25 });
        var request = _request with { Method = _request.Method with { CdpForm = form } };

        var result = new PruningRun(folder.Path, card, data, request, PruningMethods.Get("cdp-dtc")).Execute(resume: false);

        var details = Assert.IsType<CdpDtcDetails>(result.Details);
        Assert.True(details.Layers.Sum(l => l.StripesKept) < details.Layers.Sum(l => l.Stripes), "no stripe was removed");
        Assert.True(double.IsFinite(result.Test.Loss));
        Assert.Equal(3, result.TotalEpochs);
        var compaction = Assert.IsType<CompactionRecord>(result.Compaction);
        Assert.True(compaction.ParametersAfter < compaction.ParametersBefore, "no filter was removed");
        var (_, saved) = ModelCard.Load(folder.Path, CPU);
        using (saved)
        using (var masks = MaskFile.Load(folder.File(PruningRun.MasksFile), CPU))
        {
            Assert.DoesNotContain(saved.parameters(), p => p.isnan().any().item<bool>());
            Assert.Empty(FilterSkeletons.All(saved));
            foreach (string name in masks.Names)
            {
                var weight = saved.state_dict()[name];
                Assert.False(weight.masked_select(masks[name].logical_not()).ne(0).any().item<bool>(), $"{name}: a dropped stripe came back");
            }
        }
    }

    [Fact]
    public void Execute_CdpDtc_ResumedAfterItFinished_RedoesThePruningToTheSameModel()
    {
        using var data = SyntheticData.Split(train: 96, test: 16, shape: new ImageShape(3, 8, 8));
        using var folder = new TempDirectory();
        var card = new ModelCard("vgg11", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Width = 0.25 });
        var first = new PruningRun(folder.Path, card, data, _request, PruningMethods.Get("cdp-dtc")).Execute(resume: false);
        var (_, before) = ModelCard.Load(folder.Path, CPU);

        // Every phase is on disk: the skeletons come back from the checkpoint and the final pruning is redone.
        var again = new PruningRun(folder.Path, card, data, _request, PruningMethods.Get("cdp-dtc")).Execute(resume: true);

        var (_, after) = ModelCard.Load(folder.Path, CPU);
        using (before)
        using (after)
        {
            Assert.Equal(first.Compaction!.ParametersAfter, again.Compaction!.ParametersAfter);
            Assert.Equal(first.Compaction.Groups.Select(g => (g.Channels, g.Kept)), again.Compaction.Groups.Select(g => (g.Channels, g.Kept)));
            Assert.Equal(first.Test.Top1, again.Test.Top1);
            var expected = before.state_dict();
            Assert.All(after.state_dict(), p => TensorAssert.BitIdentical(expected[p.Key], p.Value));
        }
    }

    [Fact]
    public void Execute_CdpDtc_FromATrainedModel_IsRefused()
    {
        using var data = SyntheticData.Split(train: 16, test: 8, shape: new ImageShape(3, 8, 8));
        using var folder = new TempDirectory();
        var card = new ModelCard("vgg11", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Width = 0.25 });
        new TrainingRun(folder.File("dense"), card, data, _request.Training with { Epochs = 1 }).Execute(resume: false);

        var error = Assert.Throws<ArgumentException>(() => new PruningRun(folder.File("pruned"), card, data, _request, PruningMethods.Get("cdp-dtc")) { From = folder.File("dense") }.Execute(resume: false));

        Assert.Contains("'cdp-dtc' trains the model itself", error.Message, StringComparison.Ordinal);
    }
}
