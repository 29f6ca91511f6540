using Shear.Data;
using Shear.Metrics;
using Shear.Models;
using Shear.Pruning.Structure;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Selection;

/// <summary>Aligned plans (<c>--channel-multiple</c>): every group keeps a multiple of the block or all of its
/// channels, the MACs stay within the unaligned plan's, no further block would fit, and compaction stays exact.</summary>
public class ChannelAlignmentTests
{
    public static TheoryData<string, int, int, double> Models() => ZooFamilies.Theory();

    private static double[][] RandomScores(ChannelGraph channels, int seed)
    {
        var random = new Random(seed);
        return [.. channels.Groups.Select(g => Enumerable.Range(0, g.Channels).Select(_ => random.NextDouble()).ToArray())];
    }

    private static void AssertAlignedWithinBudgetAndMaximal(ChannelPlan selected, ChannelPlan aligned, int multiple)
    {
        Assert.True(ChannelAlignment.IsAligned(aligned, multiple), string.Join(", ", aligned.Channels.Groups.Select(g => $"{aligned.KeptIn(g.Id)}/{g.Channels}")));
        if (aligned.Macs > selected.Macs)
        {
            // Only when the aligned floors alone pass the budget (a group no wider than a block stays whole).
            Assert.All(aligned.Channels.Groups, g => Assert.Equal(selected.KeptIn(g.Id) == g.Channels ? g.Channels : Math.Min(multiple, g.Channels), aligned.KeptIn(g.Id)));
            return;
        }
        // Maximal: one more block in any group that is not whole would pass the budget.
        foreach (var group in aligned.Channels.Groups.Where(g => aligned.KeptIn(g.Id) < g.Channels))
        {
            var keep = aligned.Keep.Select(k => (bool[])k.Clone()).ToList();
            foreach (int c in Enumerable.Range(0, group.Channels).Where(c => !keep[group.Id][c]).Take(multiple))
            {
                keep[group.Id][c] = true;
            }
            Assert.True(new ChannelPlan(aligned.Channels, keep).Macs > selected.Macs, $"a block more in group {group.Id} still fits");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void WithinBudget_EveryZooFamily_IsAlignedWithinTheMacsAndCompactsToTheMaskedModel(string key, int channels, int side, double width)
    {
        var card = new ModelCard(key, new ImageShape(channels, side, side), 10, new ModelOptions { Width = width });
        using var model = card.Create(3, CPU);
        ZooFamilies.RandomiseNormStatistics(model);
        model.eval();
        var graph = ChannelGraph.Build(model.Graph);
        var scores = RandomScores(graph, 11);
        var selected = GroupChannelSelector.Fraction(_ => 0.3, floor: 1).Select(scores, graph);

        var aligned = ChannelAlignment.WithinBudget(selected, scores, multiple: 8, floor: 1);

        AssertAlignedWithinBudgetAndMaximal(selected, aligned, 8);
        using var input = randn(2, channels, side, side, generator: new Generator(5), dtype: float64);
        using var compact = CompactionCheck.AssertEqualsMaskedModel(model, aligned, input);
        Assert.Equal(aligned.Macs, ModelStatistics.Macs(compact.Graph));
    }

    [Fact]
    public void WithinBudget_FloorsOverTheBudget_KeepEachGroupAtItsAlignedFloor()
    {
        // ResNet-56's first stage has groups of 16: with blocks of 16 they stay whole, which alone passes a 70 % cut.
        var graph = ChannelGraph.Build(ModelZoo.Build("resnet56", new ImageShape(3, 32, 32), 10));
        var scores = RandomScores(graph, 3);
        var selected = new GlobalChannelSelector(0.7, floor: 1).Select(scores, graph);

        var aligned = ChannelAlignment.WithinBudget(selected, scores, 16, floor: 1);

        Assert.True(aligned.Macs > selected.Macs);
        Assert.All(graph.Groups, g => Assert.Equal(Math.Min(16, g.Channels), aligned.KeptIn(g.Id)));
    }

    [Theory]
    [InlineData(0.3, 4)]
    [InlineData(0.3, 8)]
    [InlineData(0.5, 8)]
    [InlineData(0.5, 16)]
    [InlineData(0.7, 8)]
    [InlineData(0.5, 4)]
    [InlineData(0.7, 4)]
    [InlineData(0.1, 32)]
    public void WithinBudget_ResNet56GlobalSelection_IsAlignedWithinTheMacsAndMaximal(double fraction, int multiple)
    {
        var graph = ChannelGraph.Build(ModelZoo.Build("resnet56", new ImageShape(3, 32, 32), 10));
        var scores = RandomScores(graph, 3);
        var selected = new GlobalChannelSelector(fraction, floor: 1).Select(scores, graph);

        var aligned = ChannelAlignment.WithinBudget(selected, scores, multiple, floor: 1);

        AssertAlignedWithinBudgetAndMaximal(selected, aligned, multiple);
        // A group that was not rounded keeps exactly the channels the selector chose.
        Assert.All(graph.Groups.Where(g => aligned.KeptIn(g.Id) == selected.KeptIn(g.Id)), g => Assert.Equal(selected.Keep[g.Id], aligned.Keep[g.Id]));
    }

    [Fact]
    public void WithinBudget_KeptChannels_AreTheSelectorsFirstThenTheBestScored()
    {
        using var model = new ModelCard("mlp", new ImageShape(1, 4, 4), 4, new ModelOptions { Widths = [12] }).Create(1, CPU);
        var graph = ChannelGraph.Build(model.Graph);
        double[][] scores = [[0, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]];
        // The selector keeps 6; rounding to 4 keeps 4 of them (the best 4) and the budget has no room for 8.
        var selected = new ChannelPlan(graph, [[false, true, true, true, true, true, true, false, false, false, false, false]]);

        var aligned = ChannelAlignment.WithinBudget(selected, scores, multiple: 4, floor: 1);

        Assert.Equal([false, true, true, true, true, false, false, false, false, false, false, false], aligned.Keep[0]);
    }

    [Fact]
    public void RoundingUp_KeepsEverySelectedChannelAndFillsBlocks()
    {
        var graph = ChannelGraph.Build(ModelZoo.Build("resnet20", new ImageShape(3, 32, 32), 10));
        var scores = RandomScores(graph, 5);
        var selected = GroupChannelSelector.Fraction(_ => 0.45, floor: 1).Select(scores, graph);

        var rounded = ChannelAlignment.RoundingUp(selected, scores, 8);

        Assert.True(ChannelAlignment.IsAligned(rounded, 8));
        Assert.All(graph.Groups, g => Assert.All(Enumerable.Range(0, g.Channels), c => Assert.True(!selected.Keep[g.Id][c] || rounded.Keep[g.Id][c])));
        Assert.All(graph.Groups, g => Assert.InRange(rounded.KeptIn(g.Id) - selected.KeptIn(g.Id), 0, 7));
    }

    [Fact]
    public void MultipleOfOne_ReturnsThePlanUnchanged()
    {
        var graph = ChannelGraph.Build(ModelZoo.Build("resnet20", new ImageShape(3, 32, 32), 10));
        var scores = RandomScores(graph, 5);
        var selected = GroupChannelSelector.Fraction(_ => 0.3, floor: 1).Select(scores, graph);

        Assert.Same(selected, ChannelAlignment.WithinBudget(selected, scores, 1, 1));
        Assert.Same(selected, ChannelAlignment.RoundingUp(selected, scores, 1));
    }
}
