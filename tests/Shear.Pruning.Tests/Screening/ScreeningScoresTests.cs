using Shear.Data;
using Shear.Graphs;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Structure;
using Shear.Runtime;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Screening;

/// <summary>Screening scores are built from the activations METHODS.md §3.2 names: checked against F computed here
/// directly from the tensors the model produces.</summary>
public class ScreeningScoresTests
{
    private static PruningContext Context(GraphModule model, DataSplit data, BatchSource source) =>
        new(model, PrunableScope.Default.Resolve(model), source, new RandomSource(1))
        {
            TrainingLabels = data.Train.Labels,
            Classes = data.Train.ClassCount,
        };

    [Fact]
    public void Connections_FirstLayerOfAnMlp_IsMagnitudeTimesThePixelsNormalisedF()
    {
        using var data = SyntheticData.Split(train: 64, test: 8, classes: 4, shape: new ImageShape(1, 6, 6));
        var card = new ModelCard("mlp", data.Train.Shape, 4, new ModelOptions { Widths = [8] });
        using var model = card.Create(3, CPU);
        using var source = new BatchSource(data.Train, Normalization.Of(data.Train), CPU);
        var context = Context(model, data, source);
        var (input, labels) = context.ClassBalancedBatch(16, "test");

        using var scores = new ScreeningScores(ScreeningCombine.Product, 0.5, false).Connections(context, input, labels);

        using var anova = new OneWayAnova(36, 4);
        anova.Add(input.flatten(1), labels);
        using var pixelF = tensor(UnitScreen.Normalise(anova.F()), dtype: float64);
        using var expected = model.Layer("fc1").get_parameter("weight")!.detach().to(float64).abs() * pixelF.unsqueeze(0);
        TensorAssert.AllClose(expected, scores["fc1.weight"], 1e-12);
    }

    [Fact]
    public void Connections_TargetUnit_ScalesRowsByTheOutputFeaturesF()
    {
        using var data = SyntheticData.Split(train: 64, test: 8, classes: 4, shape: new ImageShape(1, 6, 6));
        var card = new ModelCard("mlp", data.Train.Shape, 4, new ModelOptions { Widths = [8] });
        using var model = card.Create(3, CPU);
        using var source = new BatchSource(data.Train, Normalization.Of(data.Train), CPU);
        var context = Context(model, data, source);
        var (input, labels) = context.ClassBalancedBatch(16, "test");

        using var scores = new ScreeningScores(ScreeningCombine.Product, 0.5, false, ConnectionUnit.Target).Connections(context, input, labels);

        using var anova = new OneWayAnova(8, 4);
        using (var noGrad = no_grad())
        {
            model.eval();
            anova.Add(model.Layer("fc1").call(input.flatten(1)), labels);
        }
        using var rowF = tensor(UnitScreen.Normalise(anova.F()), dtype: float64);
        using var expected = model.Layer("fc1").get_parameter("weight")!.detach().to(float64).abs() * rowF.unsqueeze(1);
        TensorAssert.AllClose(expected, scores["fc1.weight"], 1e-9);
    }

    [Fact]
    public void Channels_LeNet5Conv2_IsTheFOfEachPooledChannelsSpatialMean()
    {
        // conv2's channels are first read by fc1 through a flatten, so their 5x5 features are averaged back into one
        // value per channel: the path that maps features to channels.
        using var data = SyntheticData.Split(train: 64, test: 8, classes: 4, shape: new ImageShape(1, 28, 28));
        var card = new ModelCard("lenet5", data.Train.Shape, 4, new ModelOptions());
        using var model = card.Create(3, CPU);
        using var source = new BatchSource(data.Train, Normalization.Of(data.Train), CPU);
        var context = Context(model, data, source);
        var (input, labels) = context.ClassBalancedBatch(16, "test");
        var channels = ChannelGraph.Build(model.Graph);
        var group = channels.Groups.Single(g => g.Producers.Contains("conv2"));

        var (scores, f) = new ScreeningScores(ScreeningCombine.Product, 0.5, false).Channels(context, channels, ChannelMagnitude.None, input, labels);

        int flatten = model.Graph.Nodes.ToList().FindIndex(n => n.Layer is FlattenSpec);
        int pooled = model.Graph.Nodes[flatten].Inputs[0];
        using var anova = new OneWayAnova(group.Channels, 4);
        model.eval();
        using (var noGrad = no_grad())
        {
            model.ForwardObserved(input, (node, value) =>
            {
                if (node == pooled)
                {
                    anova.Add(value.mean([2, 3]), labels);
                }
            });
        }
        double[] expected = anova.F();
        // Both sides average float32 activations, in different orders (flattened features summed into channels
        // there, a spatial mean here): they agree to float32 rounding.
        Assert.All(Enumerable.Range(0, expected.Length), c => Assert.Equal(expected[c], f[group.Id][c], 1e-5 * Math.Max(1, expected[c])));
        Assert.All(UnitScreen.Normalise(expected).Zip(scores[group.Id]), p => Assert.Equal(p.First, p.Second, 1e-5));
    }
}
