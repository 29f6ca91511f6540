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
    // A model on 64 synthetic images of 4 classes, its pruning context and a class-balanced sample of 16 per class.
    private sealed class Setup : IDisposable
    {
        private readonly DataSplit _data;
        private readonly BatchSource _source;

        public Setup(string key, ImageShape shape, ModelOptions options)
        {
            _data = SyntheticData.Split(train: 64, test: 8, classes: 4, shape: shape);
            Model = new ModelCard(key, shape, 4, options).Create(3, CPU);
            _source = new BatchSource(_data.Train, Normalization.Of(_data.Train), CPU);
            Context = new PruningContext(Model, PrunableScope.Default.Resolve(Model), _source, new RandomSource(1))
            {
                TrainingLabels = _data.Train.Labels,
                Classes = _data.Train.ClassCount,
            };
            (Input, Labels) = Context.ClassBalancedBatch(16, "test");
        }

        public GraphModule Model { get; }

        public PruningContext Context { get; }

        public Tensor Input { get; }

        public Tensor Labels { get; }

        public void Dispose()
        {
            Input.Dispose();
            Labels.Dispose();
            _source.Dispose();
            Model.Dispose();
            _data.Dispose();
        }
    }

    [Fact]
    public void Connections_FirstLayerOfAnMlp_IsMagnitudeTimesThePixelsNormalisedF()
    {
        using var setup = new Setup("mlp", new ImageShape(1, 6, 6), new ModelOptions { Widths = [8] });
        var (model, context, input, labels) = (setup.Model, setup.Context, setup.Input, setup.Labels);

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
        using var setup = new Setup("mlp", new ImageShape(1, 6, 6), new ModelOptions { Widths = [8] });
        var (model, context, input, labels) = (setup.Model, setup.Context, setup.Input, setup.Labels);

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
        using var setup = new Setup("lenet5", new ImageShape(1, 28, 28), new ModelOptions());
        var (model, context, input, labels) = (setup.Model, setup.Context, setup.Input, setup.Labels);
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
