using System.Collections.ObjectModel;
using MathNet.Numerics;
using MathNet.Numerics.Statistics;

namespace Shear.Pruning.ExtremeValue;

/// <summary>
/// Per-layer law of weight magnitudes |w| (all ≥ 0): the parent distribution whose block maxima the GEV describes.
/// A half-normal or half-Laplace law is fitted by maximum likelihood; the empirical law keeps a sorted copy.
/// </summary>
/// <remarks>A degenerate layer (every magnitude 0, so σ or b is 0) gets the point mass at 0: its CDF is 1 for every
/// a ≥ 0.</remarks>
public sealed class MagnitudeLaw
{
    // Empirical only: the magnitudes in ascending order.
    private readonly double[]? _sorted;

    // σ for HalfNormal, b for HalfLaplace, unused for Empirical.
    private readonly double _scale;

    private MagnitudeLaw(
        MagnitudeLawKind kind, double scale, double[]? sorted, IReadOnlyDictionary<string, double> parameters)
    {
        Kind = kind;
        _scale = scale;
        _sorted = sorted;
        Parameters = parameters;
    }

    /// <summary>Which family this law belongs to.</summary>
    public MagnitudeLawKind Kind { get; }

    /// <summary>The fitted parameters by name: half-normal <c>sigma</c> (root mean square of w), half-Laplace
    /// <c>b</c> (mean |w|), empirical <c>n</c> (the number of magnitudes).</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; }

    /// <summary>Fits <paramref name="kind"/> to <paramref name="magnitudes"/> (read, not kept: the empirical law
    /// sorts its own copy).</summary>
    /// <exception cref="ArgumentException">The input is empty, or holds a negative or non-finite value.</exception>
    public static MagnitudeLaw Fit(MagnitudeLawKind kind, double[] magnitudes)
    {
        Require.FiniteSamples(magnitudes, nameof(magnitudes));
        foreach (double magnitude in magnitudes)
        {
            if (magnitude < 0)
            {
                throw new ArgumentException(
                    $"{nameof(magnitudes)} must be >= 0 (found {magnitude})", nameof(magnitudes));
            }
        }
        switch (kind)
        {
            case MagnitudeLawKind.HalfNormal:
                double sigma = ArrayStatistics.RootMeanSquare(magnitudes);
                return new MagnitudeLaw(kind, sigma, null, Single("sigma", sigma));
            case MagnitudeLawKind.HalfLaplace:
                double b = ArrayStatistics.Mean(magnitudes);
                return new MagnitudeLaw(kind, b, null, Single("b", b));
            case MagnitudeLawKind.Empirical:
                double[] sorted = [.. magnitudes];
                Array.Sort(sorted);
                return new MagnitudeLaw(kind, 0, sorted, Single("n", sorted.Length));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown magnitude law");
        }
    }

    /// <summary>P(|W| ≤ <paramref name="magnitude"/>): 0 below 0, NaN for NaN.</summary>
    public double Cdf(double magnitude)
    {
        if (double.IsNaN(magnitude))
        {
            return double.NaN;
        }
        if (magnitude < 0)
        {
            return 0;
        }
        return Kind switch
        {
            MagnitudeLawKind.HalfNormal =>
                _scale == 0 ? 1 : SpecialFunctions.Erf(magnitude / (_scale * Constants.Sqrt2)),
            MagnitudeLawKind.HalfLaplace => _scale == 0 ? 1 : 1 - Math.Exp(-magnitude / _scale),
            MagnitudeLawKind.Empirical => (double)CountAtMost(_sorted!, magnitude) / _sorted!.Length,
            _ => throw new InvalidOperationException($"unknown magnitude law {Kind}"),
        };
    }

    // Upper bound: the number of sorted values <= a.
    private static int CountAtMost(double[] sorted, double a)
    {
        int low = 0;
        int high = sorted.Length;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (sorted[middle] <= a)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    private static ReadOnlyDictionary<string, double> Single(string name, double value) =>
        new Dictionary<string, double>(StringComparer.Ordinal) { [name] = value }.AsReadOnly();
}
