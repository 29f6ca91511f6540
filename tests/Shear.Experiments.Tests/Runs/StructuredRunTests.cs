using Shear.Data;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.TestKit;
using Shear.Training;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Experiments.Runs;

/// <summary>Structured methods end to end: the saved model is the compacted one, smaller by the requested fraction
/// of channels, and it reloads with the accuracy the run reported; the channel plan is seeded and kept for resume.</summary>
public class StructuredRunTests
{
    private static readonly PruningRequest _request = new()
    {
        Sparsity = 0.5,
        Training = new TrainingOptions { Epochs = 1, BatchSize = 16, LearningRate = 0.05, Seed = 2 },
        FinetuneEpochs = 1,
        // Channel counts as selected: these tests pin selection; alignment (--channel-multiple) has its own.
        Method = new MethodOptions { ChannelMultiple = 1 },
    };

    [Fact]
    public void Execute_L1FilterAtTheDefaultMultiple_KeepsWholeBlocksWithinTheUnalignedMacs()
    {
        using var data = SyntheticData.Split(train: 48, test: 16, shape: new ImageShape(3, 8, 8));
        using var unaligned = new TempDirectory();
        using var aligned = new TempDirectory();
        var card = new ModelCard("resnet20", data.Train.Shape, data.Train.ClassCount, new ModelOptions());
        var request = _request with { Sparsity = 0.3 };

        var before = new PruningRun(unaligned.Path, card, data, request, PruningMethods.Get("l1-filter")).Execute(resume: false);
        var after = new PruningRun(aligned.Path, card, data, request with { Method = new MethodOptions() }, PruningMethods.Get("l1-filter")).Execute(resume: false);

        // ResNet-20's 16/32/64-channel groups at 30 %: 12/23/45 kept as selected; whole blocks of the default width
        // (16 on AVX-512) after, within the selection's MACs, and the run records the multiple it used.
        Assert.Contains(before.Compaction!.Groups, g => g.Kept % 4 != 0);
        int multiple = ChannelSettings.DefaultMultiple;
        Assert.Equal(multiple, after.Request.Method.ChannelMultiple);
        Assert.All(after.Compaction!.Groups, g => Assert.True(g.Kept == g.Channels || g.Kept % multiple == 0, $"{g.Kept} of {g.Channels}"));
        Assert.InRange(after.Compaction.MacsAfter, 1, before.Compaction.MacsAfter);
        Assert.Empty(after.Warnings);
    }

    [Fact]
    public void Execute_L1FilterWithALatencyTarget_PrunesUntilThePredictionMeetsItAndRecordsBothLatencies()
    {
        using var data = SyntheticData.Split(train: 48, test: 16, shape: new ImageShape(3, 8, 8));
        using var folder = new TempDirectory();
        var card = new ModelCard("resnet20", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Width = 0.5 });
        var request = _request with { Sparsity = 0.9, Method = new MethodOptions { ChannelMultiple = 1, TargetLatencyRatio = 0.6, LatencyBatch = 2 } };
        // Fake clocks, so the test is exact: a layer costs its MACs; a whole model its MACs plus a fixed overhead.
        static double Macs(Latency.LayerShape l) => (double)l.InChannels * l.OutChannels * l.Kernel * l.Kernel * l.Height * l.Width;

        var result = new PruningRun(folder.Path, card, data, request, PruningMethods.Get("l1-filter"))
        {
            LatencyCache = folder.File("latency.json"),
            MeasureLayer = (layer, batch, _) => batch * Macs(layer) / 1e6,
            MeasureModel = (graph, batch, _) => 1 + (batch * Shear.Metrics.ModelStatistics.Macs(graph) / 1e6),
        }.Execute(resume: false);

        var latency = Assert.IsType<LatencyRecord>(result.Latency);
        Assert.Equal((2, 0.6), (latency.Batch, latency.TargetRatio));
        Assert.InRange(latency.PredictedRatio, 0.5, 0.6); // the search stops near the target, not at --sparsity 0.9
        Assert.Equal(1 + (2 * result.Compaction!.MacsAfter / 1e6), latency.MeasuredMs, 9);
        Assert.Equal(1 + (2 * result.Compaction.MacsBefore / 1e6), latency.MeasuredDenseMs, 9);
        Assert.True(File.Exists(folder.File("latency.json")));
    }

    [Fact]
    public void Execute_LatencyTargetTwiceOnOneTable_SecondRunReadsTheTableAndARefreshTimesEveryLayerAgain()
    {
        using var data = SyntheticData.Split(train: 16, test: 8, shape: new ImageShape(3, 8, 8));
        using var folder = new TempDirectory();
        var card = new ModelCard("resnet20", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Width = 0.25 });
        var request = _request with { Sparsity = 0.5, Method = new MethodOptions { ChannelMultiple = 1, TargetLatencyRatio = 0.7, LatencyBatch = 1 } };
        int timed = 0;
        LatencyRecord Run(string name, bool refresh) => new PruningRun(folder.File(name), card, data, request, PruningMethods.Get("l1-filter"))
        {
            LatencyCache = folder.File("latency.json"),
            RefreshLatency = refresh,
            MeasureLayer = (layer, batch, _) => { timed++; return (double)layer.InChannels * layer.OutChannels * layer.Height * layer.Width / 1e3; },
            MeasureModel = (graph, batch, _) => 1,
        }.Execute(resume: false).Latency!;

        var first = Run("first", refresh: false);
        int firstTimed = timed;
        var cached = Run("cached", refresh: false);
        int cachedTimed = timed - firstTimed;
        var refreshed = Run("refreshed", refresh: true);

        Assert.True(firstTimed > 0);
        Assert.Equal(0, cachedTimed);
        Assert.True(timed - firstTimed - cachedTimed > 0, "a refresh times layers again");
        Assert.Equal(first.PredictedMs, cached.PredictedMs, 12);
        Assert.Equal(first.PredictedMs, refreshed.PredictedMs, 12);
    }

    [Theory]
    [InlineData("slimming", "vgg11")]
    [InlineData("l1-filter", "resnet20")]
    [InlineData("random-channel", "resnet20")]
    public void Execute_StructuredMethod_SavesTheCompactedModelWithHalfTheChannels(string method, string model)
    {
        using var data = SyntheticData.Split(train: 48, test: 16, shape: new ImageShape(3, 8, 8));
        using var folder = new TempDirectory();
        var card = new ModelCard(model, data.Train.Shape, data.Train.ClassCount, new ModelOptions { Width = 0.25 });
        // Compacted models run odd channel counts: the case where oneDNN's NCHW kernels read unwritten padding
        // (NaN gradients in some runs of this test, with two threads) before ConvolutionLayout.
        var result = new PruningRun(folder.Path, card, data, _request, PruningMethods.Get(method)).Execute(resume: false);

        var compaction = Assert.IsType<CompactionRecord>(result.Compaction);
        // The compacted model was evaluated before its fine-tune epoch, and the figure kept beside the phase.
        Assert.Equal(data.Test.Count, Assert.IsType<Evaluation>(result.PrunedTest).Count);
        Assert.True(File.Exists(Path.Combine(folder.Path, "phases", "finetune", "pruned-test.json")));
        int channels = compaction.Groups.Sum(g => g.Channels);
        Assert.Equal(channels - (channels / 2), compaction.Groups.Sum(g => g.Kept));
        Assert.All(compaction.Groups, g => Assert.InRange(g.Kept, 1, g.Channels));
        Assert.True(compaction.MacsAfter < compaction.MacsBefore / 2, $"{compaction.MacsAfter} of {compaction.MacsBefore} MACs");
        var (saved, module) = ModelCard.Load(folder.Path, CPU);
        using (module)
        {
            Assert.NotNull(saved.Description);
            Assert.Equal(compaction.ParametersAfter, module.parameters().Sum(p => p.numel()));
        }
    }

    [Fact]
    public void Execute_SlimmingOnAModelWithoutBatchNorm_NamesTheProblem()
    {
        using var data = SyntheticData.Split(train: 16, test: 8, shape: new ImageShape(1, 8, 8));
        using var folder = new TempDirectory();
        var card = new ModelCard("mlp", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Widths = [8] });

        var error = Assert.Throws<ArgumentException>(() => new PruningRun(folder.Path, card, data, _request, PruningMethods.Get("slimming")).Execute(resume: false));

        Assert.Contains("slimming prunes by BN scales, and mlp has no BN layer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_RandomChannel_SameSeedSamePlan_OtherSeedOtherPlan()
    {
        using var data = SyntheticData.Split(train: 48, test: 16, shape: new ImageShape(1, 8, 8));
        using var first = new TempDirectory();
        using var again = new TempDirectory();
        using var other = new TempDirectory();
        var card = new ModelCard("mlp", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Widths = [24, 12] });
        var method = PruningMethods.Get("random-channel");

        var a = new PruningRun(first.Path, card, data, _request, method).Execute(resume: false);
        var b = new PruningRun(again.Path, card, data, _request, method).Execute(resume: false);
        new PruningRun(other.Path, card, data, _request with { Training = _request.Training with { Seed = 3 } }, method).Execute(resume: false);

        string plan = File.ReadAllText(first.File("plans/filters.json"));
        Assert.Equal(plan, File.ReadAllText(again.File("plans/filters.json")));
        Assert.NotEqual(plan, File.ReadAllText(other.File("plans/filters.json")));
        Assert.Equal(a.Test.Top1, b.Test.Top1);
        Assert.Equal([(24, 12), (12, 6)], a.Compaction!.Groups.Select(g => (g.Channels, g.Kept)));
    }

    [Fact]
    public void Execute_RandomChannelResumedAfterItsPlan_CompactsByTheSavedPlan()
    {
        using var data = SyntheticData.Split(train: 48, test: 16, shape: new ImageShape(1, 8, 8));
        using var folder = new TempDirectory();
        var card = new ModelCard("mlp", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Widths = [24, 12] });
        var method = PruningMethods.Get("random-channel");
        // Killed as the fine-tune phase starts: the dense phase and the plan are on disk, the compacted model is not.
        Assert.Throws<OperationCanceledException>(() => new PruningRun(folder.Path, card, data, _request, method)
        {
            OnStep = step =>
            {
                if (step == "finetune")
                {
                    throw new OperationCanceledException(step);
                }
            },
        }.Execute(resume: false));
        string path = folder.File("plans/filters.json");
        string saved = File.ReadAllText(path);
        // A plan keeping every channel of the first group but one stands in for the computed one.
        string[] keep = [.. System.Text.RegularExpressions.Regex.Matches(saved, "\"keep\": \"([01]+)\"").Select(m => m.Groups[1].Value)];
        File.WriteAllText(path, saved.Replace($"\"{keep[0]}\"", $"\"0{new string('1', keep[0].Length - 1)}\"", StringComparison.Ordinal));

        var result = new PruningRun(folder.Path, card, data, _request, method).Execute(resume: true);

        Assert.Equal([(24, 23), (12, 6)], result.Compaction!.Groups.Select(g => (g.Channels, g.Kept)));
        var (_, module) = ModelCard.Load(folder.Path, CPU);
        using (module)
        {
            Assert.Equal([23L, 64L], module.Layer("fc1").get_parameter("weight")!.shape);
        }
    }
}
