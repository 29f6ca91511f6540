using Shear.Data;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Runtime;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Structure;

/// <summary>L1 filter scores summed over a group's producers, per-group ratios with a floor, and the mask form that
/// runs save and resume from.</summary>
public sealed class FilterSelectionTests : IDisposable
{
    private readonly DataSplit _data = SyntheticData.Split(train: 32, test: 8, shape: new ImageShape(3, 16, 16));

    public void Dispose() => _data.Dispose();

    [Fact]
    public void L1Norms_ResidualGroup_SumsEveryProducersFilter()
    {
        using var model = new ModelCard("resnet20", _data.Train.Shape, 4, new ModelOptions()).Create(1, CPU);
        var context = Context(model);
        var channels = ChannelGraph.Build(model.Graph);
        var stage = channels.Groups.First(g => g.Producers.Count > 1);

        var scores = FilterSelection.L1Norms(context.Model, channels);

        var weights = model.state_dict();
        double expected = stage.Producers.Sum(p => weights[p + ".weight"][3].abs().sum().to(float64).item<double>());
        Assert.Equal(expected, scores[stage.Id][3], 9);
    }

    [Fact]
    public void Keep_RatioAndFloor_KeepTheHighestScoresAndNeverFewerThanTheFloor()
    {
        using var model = new ModelCard("mlp", _data.Train.Shape, 4, new ModelOptions { Widths = [10, 4] }).Create(1, CPU);
        var channels = ChannelGraph.Build(model.Graph);
        double[][] scores = [[5, 1, 9, 3, 7, 2, 8, 0, 6, 4], [1, 2, 3, 4]];

        var keep = FilterSelection.Keep(scores, channels, g => g.Id == 0 ? 0.6 : 0.9, floor: 2);

        Assert.Equal([false, false, true, false, true, false, true, false, true, false], keep[0]); // 6 of 10 removed: 9, 8, 7, 6 stay
        Assert.Equal([false, false, true, true], keep[1]);
    }

    [Fact]
    public void KeepGlobal_RanksAllGroupsTogetherAndRespectsTheFloor()
    {
        using var model = new ModelCard("mlp", _data.Train.Shape, 4, new ModelOptions { Widths = [4, 3] }).Create(1, CPU);
        var channels = ChannelGraph.Build(model.Graph);
        double[][] scores = [[0.1, 0.9, 0.2, 0.8], [0.05, 0.01, 0.5]];

        var keep = FilterSelection.KeepGlobal(scores, channels, 0.5, floor: 2);

        // 3 of 7 channels go: 0.01 and 0.05 would empty group 1 below its floor of 2, so 0.01, 0.1 and 0.2 go.
        Assert.Equal([false, true, false, true], keep[0]);
        Assert.Equal([true, false, true], keep[1]);
    }

    [Fact]
    public void ToMaskThenFromMask_GivesBackTheKeepArrays()
    {
        using var model = new ModelCard("resnet20", _data.Train.Shape, 4, new ModelOptions()).Create(1, CPU);
        var context = Context(model);
        var channels = ChannelGraph.Build(model.Graph);
        var random = new Random(3);
        var keep = channels.Groups.Select(g => Enumerable.Range(0, g.Channels).Select(c => c == 0 || random.NextDouble() < 0.5).ToArray()).ToList();

        using var masks = FilterSelection.ToMask(context, channels, keep);

        Assert.Equal(keep, FilterSelection.FromMask(context, channels, masks));
    }

    [Fact]
    public void LayerRatios_Malformed_NamesTheFlagAndEntry()
    {
        var error = Assert.Throws<ArgumentException>(() => FilterPruning.LayerRatios("conv1=0.5,fc1=2"));

        Assert.Contains("--l1-layer-ratios: 'fc1=2'", error.Message, StringComparison.Ordinal);
    }

    private PruningContext Context(Graphs.GraphModule model) =>
        new(model, PrunableScope.Default.Resolve(model), new BatchSource(_data.Train, Normalization.Of(_data.Train), CPU), new RandomSource(1))
        {
            TrainingLabels = _data.Train.Labels,
            Classes = 4,
        };
}
