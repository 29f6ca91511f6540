using TorchSharp;
using static TorchSharp.torch;

namespace Shear.Pruning.Stripes;

/// <summary>Which form of CDP's group/element term to use (METHODS.md §4.2).</summary>
public enum CdpForm
{
    /// <summary>The paper's intent: b·Σ_o ‖FS_o‖₂ + a·‖FS‖₁ with a = prop·S_prev/S_now and b = prop·S_now/S_prev,
    /// S the layer's skeleton texture similarity tracked from the previous step; the l1 term is added.</summary>
    Intended,

    /// <summary>What the public code computes: a = b = prop, so the term is 2·prop·‖FS‖₁ (stripe-wise pruning's L1
    /// penalty); its l1 term is computed but never added, so it is ignored here too.</summary>
    Coded,
}

/// <summary>CDP's coefficients; a term is active only when its coefficient is non-zero.</summary>
/// <param name="Form">Intended or coded form of the prop term.</param>
/// <param name="Prop">prop: the group/element term.</param>
/// <param name="Var">var: weight texture similarity Σ_o ang(W_o, M).</param>
/// <param name="Var2">var2: skeleton texture similarity Σ_o ang(FS_o, FS̄).</param>
/// <param name="L1">l1 · ‖FS‖₁ (intended form only).</param>
/// <param name="L2">l2 · ‖FS‖_F (not squared).</param>
/// <param name="Group">gl_a · sqrt(Σ_o ‖FS_o‖₁²).</param>
public sealed record CdpCoefficients(CdpForm Form, double Prop, double Var = 0, double Var2 = 0, double L1 = 0, double L2 = 0, double Group = 0)
{
    /// <summary>Whether any term is active.</summary>
    public bool Any => Prop != 0 || Var != 0 || Var2 != 0 || (L1 != 0 && Form == CdpForm.Intended) || L2 != 0 || Group != 0;
}

/// <summary>
/// CDP, the multidimensional penalty on one convolution's weights W <c>[out, in, k, k]</c> and filter skeleton FS
/// <c>[out, k, k]</c>. ang(x, y) = 1 − arccos(cos(x, y))/π with the cosine clamped to [−1 + ε, 1 − ε]: the skeleton
/// starts as all ones, where the unclamped arccos has an infinite gradient and the public code produces NaN.
/// Keeps the previous step's texture similarity for the intended form's ratios.
/// </summary>
public sealed class TexturePenalty : IDisposable
{
    private const double CosineMargin = 1e-6;

    // Added under square roots: a dead filter's norm is 0, where sqrt's gradient is infinite (0 · ∞ = NaN).
    private const double NormFloor = 1e-12;
    private readonly CdpCoefficients _coefficients;

    // Every step's constants, owned here rather than converted from doubles at each call (docs/style.md).
    private readonly Scalar _var, _var2, _l1, _l2, _group, _codedProp, _floor, _two;
    private double? _previousSimilarity;

    /// <summary>A penalty with <paramref name="coefficients"/>; dispose it to free its scalars.</summary>
    public TexturePenalty(CdpCoefficients coefficients)
    {
        _coefficients = coefficients;
        (_var, _var2, _l1, _l2, _group) = (coefficients.Var.ToScalar(), coefficients.Var2.ToScalar(), coefficients.L1.ToScalar(),
            coefficients.L2.ToScalar(), coefficients.Group.ToScalar());
        _codedProp = (2 * coefficients.Prop).ToScalar();
        _floor = NormFloor.ToScalar();
        _two = 2.ToScalar();
    }

    /// <summary>a and b of the last call (both prop in the coded form).</summary>
    public (double A, double B) LastRatios { get; private set; }

    /// <summary>The penalty as a scalar with a graph to <paramref name="weight"/> and <paramref name="skeleton"/>;
    /// created in the caller's scope.</summary>
    public Tensor Compute(Tensor weight, Tensor skeleton)
    {
        var c = _coefficients;
        var total = zeros([], dtype: skeleton.dtype, device: skeleton.device);
        var filters = skeleton.flatten(1);
        if (c.Var != 0)
        {
            // M[i] = mean over (o, h, w) of W[o, i, h, w], broadcast over (h, w).
            var mean = weight.mean([0, 2, 3], keepdim: true).expand_as(weight[0].unsqueeze(0)).flatten(1);
            total += _var * Angular(weight.flatten(1), mean).sum();
        }
        // The skeleton texture similarity S: var2's term, and the intended form's ratios.
        bool intended = c.Form == CdpForm.Intended && c.Prop != 0;
        var similarity = c.Var2 != 0 || intended ? Angular(filters, filters.mean([0], keepdim: true)).sum() : null;
        if (c.Var2 != 0)
        {
            total += _var2 * similarity!;
        }
        if (c.L2 != 0)
        {
            total += _l2 * (skeleton.pow(_two).sum() + _floor).sqrt();
        }
        if (c.Group != 0)
        {
            total += _group * (filters.abs().sum(1).pow(_two).sum() + _floor).sqrt();
        }
        if (c.Form == CdpForm.Intended && c.L1 != 0)
        {
            total += _l1 * skeleton.abs().sum();
        }
        if (c.Prop != 0)
        {
            if (c.Form == CdpForm.Coded)
            {
                LastRatios = (c.Prop, c.Prop);
                total += _codedProp * skeleton.abs().sum();
            }
            else
            {
                double now = Math.Max(similarity!.to(ScalarType.Float64).item<double>(), 1e-12);
                double previous = _previousSimilarity ?? now;
                _previousSimilarity = now;
                LastRatios = (c.Prop * previous / now, c.Prop * now / previous);
                // The ratios change every step: their scalars live for this call only.
                using var a = LastRatios.A.ToScalar();
                using var b = LastRatios.B.ToScalar();
                total += (b * (filters.pow(_two).sum(1) + _floor).sqrt().sum()) + (a * skeleton.abs().sum());
            }
        }
        return total;
    }

    /// <summary>ang(x_o, y) per row o of <paramref name="rows"/> against <paramref name="reference"/> (one row,
    /// broadcast), with the cosine clamped.</summary>
    public static Tensor Angular(Tensor rows, Tensor reference)
    {
        using var low = (-1 + CosineMargin).ToScalar();
        using var high = (1 - CosineMargin).ToScalar();
        using var pi = Math.PI.ToScalar();
        using var one = 1.ToScalar();
        var cosine = nn.functional.cosine_similarity(rows, reference.expand_as(rows), dim: 1, eps: 1e-12).clamp(low, high);
        return one - (cosine.arccos() / pi);
    }

    /// <summary>Frees the scalars.</summary>
    public void Dispose()
    {
        foreach (var scalar in new[] { _var, _var2, _l1, _l2, _group, _codedProp, _floor, _two })
        {
            scalar.Dispose();
        }
    }
}
