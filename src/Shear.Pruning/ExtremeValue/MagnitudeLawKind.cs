namespace Shear.Pruning.ExtremeValue;

/// <summary>The family a layer's weight magnitudes |w| are assumed to follow (see
/// <see cref="MagnitudeLaw"/>).</summary>
public enum MagnitudeLawKind
{
    /// <summary>|w| of a zero-mean normal w: F(a) = erf(a / (σ√2)), σ the root mean square of w.</summary>
    HalfNormal,

    /// <summary>|w| of a zero-mean Laplace w: F(a) = 1 − exp(−a / b), b the mean of |w|.</summary>
    HalfLaplace,

    /// <summary>No family: the empirical CDF of the observed magnitudes.</summary>
    Empirical,
}
