using Shear.Data;
using Shear.Models;
using Shear.Pruning.Structure;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Selection;

/// <summary>Channel selection: per-group fractions and counts with a floor, one global ranking with a floor.</summary>
public class ChannelSelectorTests
{
    private static ChannelGraph Mlp(params int[] widths)
    {
        using var model = new ModelCard("mlp", new ImageShape(3, 16, 16), 4, new ModelOptions { Widths = widths }).Create(1, CPU);
        return ChannelGraph.Build(model.Graph);
    }

    [Fact]
    public void GroupFraction_RatioAndFloor_KeepTheHighestScoresAndNeverFewerThanTheFloor()
    {
        var channels = Mlp(10, 4);
        double[][] scores = [[5, 1, 9, 3, 7, 2, 8, 0, 6, 4], [1, 2, 3, 4]];

        var plan = GroupChannelSelector.Fraction(g => g.Id == 0 ? 0.6 : 0.9, floor: 2).Select(scores, channels);

        Assert.Equal([false, false, true, false, true, false, true, false, true, false], plan.Keep[0]); // 6 of 10 removed: 9, 8, 7, 6 stay
        Assert.Equal([false, false, true, true], plan.Keep[1]);
        Assert.Equal(6, plan.Kept);
    }

    [Fact]
    public void GroupCount_TiesAndAbsurdCounts_GoToTheEarlierChannelAndStayWithinTheGroup()
    {
        var channels = Mlp(4, 3);
        double[][] scores = [[1, 1, 1, 1], [3, 2, 1]];

        var plan = new GroupChannelSelector(g => g.Id == 0 ? 2 : 10, floor: 1).Select(scores, channels);

        Assert.Equal([true, true, false, false], plan.Keep[0]);
        Assert.Equal([true, true, true], plan.Keep[1]);
    }

    [Fact]
    public void Global_RanksAllGroupsTogetherAndRespectsTheFloor()
    {
        var channels = Mlp(4, 3);
        double[][] scores = [[0.1, 0.9, 0.2, 0.8], [0.05, 0.01, 0.5]];

        var plan = new GlobalChannelSelector(0.5, floor: 2).Select(scores, channels);

        // 3 of 7 channels go: 0.01 and 0.05 would empty group 1 below its floor of 2, so 0.01, 0.1 and 0.2 go.
        Assert.Equal([false, true, false, true], plan.Keep[0]);
        Assert.Equal([true, false, true], plan.Keep[1]);
    }
}
