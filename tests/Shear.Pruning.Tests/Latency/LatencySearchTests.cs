using Shear.Data;
using Shear.Graphs;
using Shear.Metrics;
using Shear.Models;
using Shear.Pruning.Selection;
using Shear.Pruning.Structure;
using Xunit;

namespace Shear.Pruning.Latency;

/// <summary>The latency search: the plan it returns meets the target, and a fraction one resolution step smaller
/// would not; an unreachable target returns the plan at the upper bound.</summary>
public class LatencySearchTests
{
    // Latency proportional to MACs: the search then finds the MAC budget of the target.
    private sealed class MacLatency : ILatencyModel
    {
        public int Batch => 1;

        public int Threads => 1;

        public double Milliseconds(ModelGraph graph) => ModelStatistics.Macs(graph) / 1e6;
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(0.5)]
    [InlineData(0.3)]
    public void Smallest_ResNet20_MeetsTheTargetWithTheSmallestFraction(double target)
    {
        var graph = ModelZoo.Build("resnet20", new ImageShape(3, 32, 32), 10);
        var channels = ChannelGraph.Build(graph);
        var random = new Random(2);
        double[][] scores = [.. channels.Groups.Select(g => Enumerable.Range(0, g.Channels).Select(_ => random.NextDouble()).ToArray())];
        ChannelPlan At(double f) => GroupChannelSelector.Fraction(_ => f, 1).Select(scores, channels);
        var model = new MacLatency();

        var (plan, chosen, probes) = LatencySearch.Smallest(At, p => p, 0.9, target, model, graph);

        double Ratio(ChannelPlan p) => model.Milliseconds(ChannelSurgery.CompactedGraph(p)) / model.Milliseconds(graph);
        Assert.True(chosen.PredictedRatio <= target, $"{chosen.PredictedRatio} over {target}");
        Assert.Equal(Ratio(plan), chosen.PredictedRatio, 12);
        Assert.True(Ratio(At(chosen.Fraction - (2 * LatencySearch.Resolution))) > target, "a smaller fraction also met the target");
        Assert.InRange(probes.Count, 2, 10);
    }

    [Fact]
    public void Smallest_UnreachableTarget_ReturnsThePlanAtTheUpperBound()
    {
        var graph = ModelZoo.Build("resnet20", new ImageShape(3, 32, 32), 10);
        var channels = ChannelGraph.Build(graph);
        double[][] scores = [.. channels.Groups.Select(g => new double[g.Channels])];
        ChannelPlan At(double f) => GroupChannelSelector.Fraction(_ => f, 1).Select(scores, channels);

        var (_, chosen, probes) = LatencySearch.Smallest(At, p => p, 0.2, 0.1, new MacLatency(), graph);

        Assert.Equal(0.2, chosen.Fraction);
        Assert.True(chosen.PredictedRatio > 0.1);
        Assert.Single(probes);
    }
}
