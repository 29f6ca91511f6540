using TorchSharp;
using static TorchSharp.torch;

namespace Shear.Pruning.Stripes;

/// <summary>
/// The dynamic threshold container of CDP + DTC (METHODS.md §4.3): each filter o of a skeleton gets its own
/// threshold T_o = t · mean_o'(r_o') / r_o with r_o = ‖FS_o‖₁ (t is a <see cref="Scalar"/> its caller owns: a
/// training hook makes it once, not at every step). Filters with more skeleton mass than the layer's
/// average get a lower threshold, weak filters a higher one, and a filter with no mass left an infinite one.
/// </summary>
public static class DynamicThreshold
{
    /// <summary>T_o for every filter of <paramref name="skeleton"/> <c>[out, k, k]</c>; created in the caller's scope.</summary>
    public static Tensor Thresholds(Tensor skeleton, Scalar t)
    {
        var mass = skeleton.detach().abs().sum([1, 2]);
        return (t * mass.mean()) / mass;
    }

    /// <summary>Which stripes survive: |FS[o, h, w]| &gt; T_o. Created in the caller's scope.</summary>
    public static Tensor Keep(Tensor skeleton, Scalar t) =>
        skeleton.detach().abs() > Thresholds(skeleton, t).unsqueeze(1).unsqueeze(2);

    /// <summary>One container step, run after backward and before the optimizer step: zeroes the stripes below
    /// their filter's threshold and their gradients, and returns which filters still have a stripe (created in the
    /// caller's scope).</summary>
    public static Tensor Apply(Tensor skeleton, Scalar t)
    {
        using var noGrad = no_grad();
        var keep = Keep(skeleton, t);
        var factor = keep.to(skeleton.dtype);
        skeleton.mul_(factor);
        skeleton.grad?.mul_(factor);
        return keep.any(1).any(1);
    }
}
