using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Stripes;

/// <summary>The dynamic threshold container on a hand-made skeleton: per-filter thresholds, stripes removed, dead
/// filters, gradients blocked.</summary>
public class DynamicThresholdTests
{
    // Three 2x2 filters: L1 masses 4, 1 and 1 (mean 2).
    private static Tensor Skeleton() => tensor(new double[] { 1, 1, 1, 1, 0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25 }).reshape(3, 2, 2);

    [Fact]
    public void Thresholds_AreTTimesTheMeanMassOverEachFiltersMass()
    {
        using var skeleton = Skeleton();

        using var thresholds = DynamicThreshold.Thresholds(skeleton, 0.2);

        // T = 0.2 · 2 / (4, 1, 1): the strong filter is protected, the weak ones face twice the base threshold.
        Assert.Equal([0.1, 0.4, 0.4], thresholds.data<double>().ToArray().Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Apply_RemovesStripesBelowTheirFiltersThresholdAndReportsDeadFilters()
    {
        using var skeleton = Skeleton().requires_grad_(true);
        using (var loss = skeleton.sum())
        {
            loss.backward();
        }

        using var alive = DynamicThreshold.Apply(skeleton, 0.2);

        // Filter 0 keeps all (1 > 0.1); filter 1 keeps nothing above 0.4 (0.4 is not >); filter 2 (0.25 < 0.4) dies.
        Assert.Equal([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], skeleton.detach().data<double>().ToArray().Select(v => v == 0 ? 0 : 1));
        Assert.Equal([true, false, false], alive.data<bool>().ToArray());
        Assert.Equal([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], skeleton.grad!.data<double>().ToArray());
    }

    [Fact]
    public void Apply_APartlyStrongFilter_KeepsOnlyItsStrongStripes()
    {
        // Masses 3 and 1.2 (mean 2.1): T = 0.5 · 2.1 / 3 = 0.35 for filter 0, 0.875 for filter 1.
        using var skeleton = tensor(new double[] { 1.5, 1.2, 0.2, 0.1, 0.9, 0.1, 0.1, 0.1 }).reshape(2, 2, 2);

        using var alive = DynamicThreshold.Apply(skeleton, 0.5);

        Assert.Equal([1.5, 1.2, 0, 0, 0.9, 0, 0, 0], skeleton.data<double>().ToArray());
        Assert.Equal([true, true], alive.data<bool>().ToArray());
    }

    [Fact]
    public void Apply_AFilterWithNoMass_StaysDeadWithoutNaN()
    {
        using var skeleton = tensor(new double[] { 0, 0, 0, 0, 1, 1, 1, 1 }).reshape(2, 2, 2);

        using var alive = DynamicThreshold.Apply(skeleton, 0.01);

        Assert.Equal([false, true], alive.data<bool>().ToArray());
        Assert.False(skeleton.isnan().any().item<bool>());
    }
}
