using Shear.Data;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Structure;
using Shear.Runtime;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <summary>Channel criteria: filter norms and BN scales summed over a group (residual-tied channels judged
/// together), and seeded random scores.</summary>
public sealed class ChannelImportanceTests : IDisposable
{
    private readonly DataSplit _data = SyntheticData.Split(train: 32, test: 8, shape: new ImageShape(3, 16, 16));

    public void Dispose() => _data.Dispose();

    [Fact]
    public void L1Norms_ResidualGroup_SumsEveryProducersFilter()
    {
        using var model = Card("resnet20").Create(1, CPU);
        var context = Context(model, seed: 1);
        var channels = ChannelGraph.Build(model.Graph);
        var stage = channels.Groups.First(g => g.Producers.Count > 1);

        var scores = new FilterNormImportance(FilterNorm.L1).Score(context, channels);

        var weights = model.state_dict();
        double expected = stage.Producers.Sum(p => weights[p + ".weight"][3].abs().sum().to(float64).item<double>());
        Assert.Equal(expected, scores[stage.Id][3], 9);
    }

    [Fact]
    public void L2Norms_ResidualGroup_SumsEveryProducersFilterNorm()
    {
        using var model = Card("resnet20").Create(1, CPU);
        var channels = ChannelGraph.Build(model.Graph);
        var stage = channels.Groups.First(g => g.Producers.Count > 1);

        var scores = new FilterNormImportance(FilterNorm.L2).Score(Context(model, seed: 1), channels);

        var weights = model.state_dict();
        double expected = stage.Producers.Sum(p => weights[p + ".weight"][5].to(float64).square().sum().sqrt().item<double>());
        Assert.Equal(expected, scores[stage.Id][5], 6);
        Assert.True(scores[stage.Id][5] < new FilterNormImportance(FilterNorm.L1).Score(Context(model, seed: 1), channels)[stage.Id][5]);
    }

    [Fact]
    public void BatchNormScales_ResidualGroup_SumAbsoluteGammaOverItsNorms()
    {
        using var model = Card("resnet20").Create(1, CPU);
        var channels = ChannelGraph.Build(model.Graph);
        var stage = channels.Groups.First(g => g.Producers.Count > 1);
        var norms = stage.Readers.Where(r => model.Graph.Node(r).Layer is Graphs.BatchNorm2dSpec).ToList();
        var weights = model.state_dict();
        using (no_grad())
        {
            // Scales of both signs, so that |γ| matters.
            norms.ForEach(n => weights[n + ".weight"].copy_(randn(weights[n + ".weight"].shape, generator: new Generator(7))));
        }

        var scores = new BatchNormScaleImportance().Score(Context(model, seed: 1), channels);

        Assert.True(norms.Count > 1, "a residual stream carries several BNs");
        Assert.Equal(norms.Sum(n => weights[n + ".weight"][2].abs().to(float64).item<double>()), scores[stage.Id][2], 9);
    }

    [Fact]
    public void Random_SameSeed_SameScores_OtherSeed_OtherScores()
    {
        using var model = Card("resnet20").Create(1, CPU);
        var channels = ChannelGraph.Build(model.Graph);
        var importance = new RandomChannelImportance();

        var first = importance.Score(Context(model, seed: 5), channels);
        var again = importance.Score(Context(model, seed: 5), channels);
        var other = importance.Score(Context(model, seed: 6), channels);

        Assert.Equal(channels.Groups.Select(g => g.Channels), first.Select(s => s.Length));
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.All(first.SelectMany(s => s), v => Assert.InRange(v, 0, 1));
        // Not one draw repeated: the scores rank the channels.
        Assert.Equal(first.Sum(s => s.Length), first.SelectMany(s => s).Distinct().Count());
    }

    private ModelCard Card(string key) => new(key, _data.Train.Shape, 4, new ModelOptions());

    private PruningContext Context(Graphs.GraphModule model, long seed) =>
        new(model, PrunableScope.Default.Resolve(model), new BatchSource(_data.Train, Normalization.Of(_data.Train), CPU), new RandomSource(seed))
        {
            TrainingLabels = _data.Train.Labels,
            Classes = 4,
        };
}
