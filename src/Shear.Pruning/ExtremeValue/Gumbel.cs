using MathNet.Numerics;
using MathNet.Numerics.Statistics;

namespace Shear.Pruning.ExtremeValue;

/// <summary>
/// The Gumbel (type I extreme-value) law of maxima: F(x) = exp(−exp(−(x − μ)/β)). It is the GEV with shape 0 and
/// the limit of the block maxima of light-tailed laws such as the half-normal and half-Laplace.
/// </summary>
/// <param name="Location">μ, the mode.</param>
/// <param name="Scale">β &gt; 0. <c>default(Gumbel)</c> has β = 0 and is not a valid distribution.</param>
public readonly record struct Gumbel(double Location, double Scale)
{
    /// <summary>Scale given to constant samples by <see cref="FitMoments"/>, relative to max(1, |mean|): small
    /// enough to be a step at the common value, large enough for densities and sampling to stay finite.</summary>
    public const double DegenerateRelativeScale = 1e-12;

    /// <summary>μ, any finite value.</summary>
    public double Location { get; init => field = Require.Finite(value, nameof(Location)); } =
        Require.Finite(Location, nameof(Location));

    /// <summary>β, finite and greater than 0.</summary>
    public double Scale { get; init => field = Require.Positive(value, nameof(Scale)); } =
        Require.Positive(Scale, nameof(Scale));

    /// <summary>P(X ≤ <paramref name="x"/>).</summary>
    public double Cdf(double x) => Math.Exp(-Math.Exp(-(x - Location) / Scale));

    /// <summary>log f(x) = −log β − z − exp(−z) with z = (x − μ)/β.</summary>
    public double LogDensity(double x)
    {
        double z = (x - Location) / Scale;
        return -Math.Log(Scale) - z - Math.Exp(-z);
    }

    /// <summary>One draw by the inverse CDF, x = μ − β·log(−log u), from a uniform u in (0, 1) taken from
    /// <paramref name="random"/> (0 is redrawn: it would give −∞).</summary>
    public double Sample(Random random) => Location - (Scale * Math.Log(-Math.Log(OpenUniform(random))));

    /// <summary>
    /// Method-of-moments fit: β = √6·s/π with s the sample standard deviation (n − 1), and μ = mean − γ·β with γ
    /// the Euler–Mascheroni constant. Constant samples (s = 0, or a single sample) get the tiny scale
    /// <see cref="DegenerateRelativeScale"/>·max(1, |mean|) rather than an invalid β = 0.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="samples"/> is empty or holds a non-finite value.</exception>
    public static Gumbel FitMoments(double[] samples)
    {
        Require.FiniteSamples(samples, nameof(samples));
        var (mean, deviation) = samples.Length > 1 ? ArrayStatistics.MeanStandardDeviation(samples) : (samples[0], 0.0);
        double scale = Math.Sqrt(6) * deviation / Math.PI;
        if (!(scale > 0))
        {
            scale = DegenerateRelativeScale * Math.Max(1, Math.Abs(mean));
        }
        return new Gumbel(mean - (Constants.EulerMascheroni * scale), scale);
    }

    /// <summary>A uniform draw in the open interval (0, 1).</summary>
    internal static double OpenUniform(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u;
        do
        {
            u = random.NextDouble();
        }
        while (u == 0);
        return u;
    }
}
