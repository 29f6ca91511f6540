using TorchSharp;
using static TorchSharp.torch;

namespace Shear.Pruning.Selection;

/// <summary>The ranking rule both selectors share: keep the <c>k</c> highest scores among the currently kept
/// entries; ties go to the earlier position (stable sort), NaN ranks lowest.</summary>
internal static class TopK
{
    /// <summary>A bool mask of <paramref name="scores"/>' shape (flattened order) keeping <paramref name="keep"/>
    /// of the entries where <paramref name="current"/> is true. Created in the caller's scope.</summary>
    public static Tensor Keep(Tensor scores, Tensor current, long keep)
    {
        var flat = scores.detach().flatten().to(float64);
        var eligible = current.flatten();
        // Gradual methods select inside a training hook: the fill value is a Scalar freed here (docs/style.md).
        using var excluded = double.NegativeInfinity.ToScalar();
        var ranked = where(eligible, nan_to_num(flat, nan: double.MinValue), full_like(flat, excluded));
        var mask = zeros_like(eligible);
        keep = Math.Min(keep, eligible.count_nonzero().item<long>());
        if (keep > 0)
        {
            var (_, order) = ranked.sort(descending: true, stable: true);
            mask.index_put_(ones(keep, dtype: ScalarType.Bool, device: mask.device), order.narrow(0, 0, keep));
        }
        return mask;
    }
}
