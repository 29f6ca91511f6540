using Shear.Data;
using Shear.Models;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Structure;

/// <summary>A channel plan is a checked value: one array per group of the right length keeping a channel, copies in
/// and out.</summary>
public class ChannelPlanTests
{
    private static ChannelGraph Mlp()
    {
        using var model = new ModelCard("mlp", new ImageShape(1, 8, 8), 4, new ModelOptions { Widths = [4, 3] }).Create(1, CPU);
        return ChannelGraph.Build(model.Graph);
    }

    [Fact]
    public void Constructor_WrongLengthOrNothingKept_NamesTheGroup()
    {
        var channels = Mlp();

        var wrongLength = Assert.Throws<ArgumentException>(() => new ChannelPlan(channels, [[true, true, true, true], [true, true]]));
        var empty = Assert.Throws<ArgumentException>(() => new ChannelPlan(channels, [[false, false, false, false], [true, true, true]]));
        var missing = Assert.Throws<ArgumentException>(() => new ChannelPlan(channels, [[true, true, true, true]]));

        Assert.Contains("group 1 (fc2): keep must have 3 entries", wrongLength.Message, StringComparison.Ordinal);
        Assert.Contains("group 0 (fc1)", empty.Message, StringComparison.Ordinal);
        Assert.Contains("expected 2 keep arrays", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keep_IsACopy_ThePlanNeverChanges()
    {
        bool[] first = [true, false, true, false];
        var plan = new ChannelPlan(Mlp(), [first, [false, true, false]]);

        first[1] = true;
        plan.Keep[0][3] = true;

        Assert.Equal([true, false, true, false], plan.Keep[0]);
        Assert.Equal(3, plan.Kept);
        Assert.Equal(1, plan.KeptIn(1));
    }

    [Fact]
    public void KeepingWhole_KeepsEveryChannelOfThePickedGroupsOnly()
    {
        var plan = new ChannelPlan(Mlp(), [[true, false, true, false], [false, true, false]]);

        var whole = plan.KeepingWhole(g => g.Id == 1);

        Assert.Equal([true, false, true, false], whole.Keep[0]);
        Assert.Equal([true, true, true], whole.Keep[1]);
    }
}
