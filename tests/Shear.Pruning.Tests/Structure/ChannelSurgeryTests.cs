using Shear.Data;
using Shear.Graphs;
using Shear.Metrics;
using Shear.Models;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Structure;

/// <summary>The channel groups of the zoo, and compaction: a compacted model computes what the channel-masked model
/// computes, for every family, and its parameters and MACs are what a hand count gives.</summary>
public class ChannelSurgeryTests
{
    public static TheoryData<string, int, int, double> Models() => ZooFamilies.Theory();

    [Theory]
    [MemberData(nameof(Models))]
    public void Compact_RandomKeep_EqualsTheChannelMaskedModel(string key, int channels, int side, double width)
    {
        var card = new ModelCard(key, new ImageShape(channels, side, side), 10, new ModelOptions { Width = width });
        using var model = card.Create(3, CPU);
        ZooFamilies.RandomiseNormStatistics(model);
        using (var noGrad = no_grad())
        {
            // BN scales and shifts away from 1 and 0 too, so that zeroing a channel's is visible.
            foreach (var (_, parameter) in model.named_parameters().Where(p => p.name.Contains("bn", StringComparison.Ordinal) || p.name.Contains("downsample.1", StringComparison.Ordinal)))
            {
                parameter.add_(randn_like(parameter) * 0.1);
            }
        }
        model.eval();
        var graph = ChannelGraph.Build(model.Graph);
        var random = new Random(7);
        var keep = graph.Groups.Select(g => Enumerable.Range(0, g.Channels).Select(c => c == 0 || random.NextDouble() < 0.5).ToArray()).ToList();
        using var input = randn(2, channels, side, side, generator: new Generator(5), dtype: float64);

        using var compact = CompactionCheck.AssertEqualsMaskedModel(model, new ChannelPlan(graph, keep), input);

        Assert.True(ModelStatistics.Macs(compact.Graph) < ModelStatistics.Macs(model.Graph));
    }

    [Fact]
    public void Build_Mlp_HasOneGroupPerHiddenLayerAndLeavesTheClassifierFixed()
    {
        var graph = ChannelGraph.Build(ModelZoo.Build("mlp", new ImageShape(1, 28, 28), 10));

        Assert.Equal([("fc1", 300), ("fc2", 100)], graph.Groups.Select(g => (g.Producers.Single(), g.Channels)));
        Assert.Equal(["fc2"], graph.Groups[0].Readers);
    }

    [Fact]
    public void Build_MobileNetV3Small_TiesExpansionDepthwiseAndExciteButNotTheSqueeze()
    {
        var graph = ChannelGraph.Build(ModelZoo.Build("mobilenetv3-small", new ImageShape(3, 32, 32), 10));

        // features.4: expand 1x1, depthwise 5x5, squeeze-and-excitation, project 1x1. The expanded width is one
        // group: the expansion's filters, the depthwise filters (filter c reads channel c) and the excite conv
        // (its gate multiplies channel c); the squeeze width is a group of its own.
        var expanded = graph.Groups.Single(g => g.Producers.Contains("features.4.block.0.0"));
        Assert.Equal(["features.4.block.0.0", "features.4.block.1.0", "features.4.block.2.fc2"], expanded.Producers.Order(StringComparer.Ordinal));
        Assert.Contains("features.4.block.2.fc1", expanded.Readers);
        Assert.Equal(["features.4.block.2.fc1"], graph.Groups.Single(g => g.Producers.Contains("features.4.block.2.fc1")).Producers);
    }

    [Fact]
    public void Build_GroupedButNotDepthwiseConvolution_FixesItsChannels()
    {
        var g = new GraphBuilder("grouped", new ImageShape(4, 8, 8));
        var x = g.Relu(g.Conv(g.Input, "a", 8, 3, padding: 1));
        x = g.Relu(g.Conv(x, "b", 8, 3, padding: 1, groups: 2));
        x = g.Relu(g.Conv(x, "c", 8, 1));
        var graph = ChannelGraph.Build(g.Build(g.Linear(g.Flatten(g.GlobalAvgPool(x)), "fc", 10)));

        Assert.Equal(["c"], graph.Groups.SelectMany(group => group.Producers));
    }

    [Fact]
    public void Build_ResNet20_TiesEveryResidualStageIntoOneGroup()
    {
        var graph = ChannelGraph.Build(ModelZoo.Build("resnet20", new ImageShape(3, 32, 32), 10));

        // Each stage's block outputs and its entry (stem or projection) share one group; the first conv of each
        // block is a group of its own: 3 stage groups + 9 inner groups.
        Assert.Equal(12, graph.Groups.Count);
        var stages = graph.Groups.Where(g => g.Producers.Count > 1).ToList();
        Assert.Equal([16, 32, 64], stages.Select(g => g.Channels));
        Assert.Contains("conv1", stages[0].Producers);
        Assert.Equal(4, stages[0].Producers.Count); // the stem and the second conv of the stage's 3 blocks
    }

    [Fact]
    public void Compact_Mlp_HasTheParametersAndMacsOfAHandCount()
    {
        using var model = new ModelCard("mlp", new ImageShape(1, 28, 28), 10, new ModelOptions()).Create(1, CPU);
        var graph = ChannelGraph.Build(model.Graph);
        bool[] fc1 = [.. Enumerable.Range(0, 300).Select(c => c % 2 == 0)];
        bool[] fc2 = [.. Enumerable.Range(0, 100).Select(c => c < 50)];

        using var compact = ChannelSurgery.Compact(model, graph, [fc1, fc2]);

        // 784·150 + 150, 150·50 + 50, 50·10 + 10 parameters; one MAC per weight.
        Assert.Equal(117_750 + 7_550 + 510, ModelStatistics.Parameters(compact.Graph));
        Assert.Equal(117_600 + 7_500 + 500, ModelStatistics.Macs(compact.Graph));
    }

    [Fact]
    public void Compact_LeNet5_RemovesTheFlattenedFeaturesOfARemovedChannel()
    {
        using var model = new ModelCard("lenet5", new ImageShape(1, 28, 28), 10, new ModelOptions()).Create(1, CPU);
        var graph = ChannelGraph.Build(model.Graph);
        var keep = graph.Groups.Select(g => Enumerable.Range(0, g.Channels).Select(c => c != 0).ToArray()).ToList();

        using var compact = ChannelSurgery.Compact(model, graph, keep);

        var conv2 = graph.Groups.Single(g => g.Producers.Contains("conv2"));
        var fc1Before = (LinearSpec)model.Graph.Node("fc1").Layer;
        var fc1After = (LinearSpec)compact.Graph.Node("fc1").Layer;
        Assert.Equal(fc1Before.InFeatures / conv2.Channels * (conv2.Channels - 1), fc1After.InFeatures);
    }

    [Fact]
    public void Compact_KeepingNoChannelOfAGroup_IsRefusedNamingTheGroup()
    {
        using var model = new ModelCard("mlp", new ImageShape(1, 28, 28), 10, new ModelOptions()).Create(1, CPU);
        var graph = ChannelGraph.Build(model.Graph);

        var error = Assert.Throws<ArgumentException>(() => ChannelSurgery.Compact(model, graph, [new bool[300], Enumerable.Repeat(true, 100).ToArray()]));

        Assert.Contains("group 0 (fc1)", error.Message, StringComparison.Ordinal);
    }
}
