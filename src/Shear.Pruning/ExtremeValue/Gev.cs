namespace Shear.Pruning.ExtremeValue;

/// <summary>
/// The generalised extreme-value law of maxima: F(x) = exp(−(1 + ξ·(x − μ)/σ)^(−1/ξ)) where 1 + ξ·(x − μ)/σ &gt; 0.
/// ξ &gt; 0 is the Fréchet type (heavy tail, support bounded below), ξ &lt; 0 the reversed Weibull (support bounded
/// above), and |ξ| &lt; <see cref="GumbelShapeThreshold"/> is treated as the Gumbel limit ξ → 0.
/// </summary>
/// <remarks>Sign convention: scipy.stats.genextreme's c is −ξ.</remarks>
/// <param name="Location">μ.</param>
/// <param name="Scale">σ &gt; 0. <c>default(Gev)</c> has σ = 0 and is not a valid distribution.</param>
/// <param name="Shape">ξ.</param>
public readonly record struct Gev(double Location, double Scale, double Shape)
{
    /// <summary>Below this |ξ| every formula uses the Gumbel limit (the ξ forms lose precision as 1/ξ grows).</summary>
    public const double GumbelShapeThreshold = 1e-9;

    /// <summary>μ, any finite value.</summary>
    public double Location { get; init => field = Require.Finite(value, nameof(Location)); } =
        Require.Finite(Location, nameof(Location));

    /// <summary>σ, finite and greater than 0.</summary>
    public double Scale { get; init => field = Require.Positive(value, nameof(Scale)); } =
        Require.Positive(Scale, nameof(Scale));

    /// <summary>ξ, any finite value.</summary>
    public double Shape { get; init => field = Require.Finite(value, nameof(Shape)); } =
        Require.Finite(Shape, nameof(Shape));

    private bool IsGumbel => Math.Abs(Shape) < GumbelShapeThreshold;

    /// <summary>P(X ≤ <paramref name="x"/>): 0 below the lower end of the support (ξ &gt; 0), 1 above its upper
    /// end (ξ &lt; 0).</summary>
    public double Cdf(double x)
    {
        double z = (x - Location) / Scale;
        if (IsGumbel)
        {
            return Math.Exp(-Math.Exp(-z));
        }
        double t = 1 + (Shape * z);
        if (!(t > 0))
        {
            return Shape > 0 ? 0 : 1;
        }
        return Math.Exp(-Math.Exp(-Math.Log(t) / Shape));
    }

    /// <summary>log f(x) = −log σ − (1 + 1/ξ)·log t − t^(−1/ξ) with t = 1 + ξ·(x − μ)/σ; −∞ outside the
    /// support.</summary>
    public double LogDensity(double x)
    {
        double z = (x - Location) / Scale;
        if (IsGumbel)
        {
            return -Math.Log(Scale) - z - Math.Exp(-z);
        }
        double t = 1 + (Shape * z);
        if (!(t > 0))
        {
            return double.NegativeInfinity;
        }
        double logT = Math.Log(t);
        return -Math.Log(Scale) - ((1 + (1 / Shape)) * logT) - Math.Exp(-logT / Shape);
    }

    /// <summary>One draw by the inverse CDF, x = μ + σ·((−log u)^(−ξ) − 1)/ξ, from a uniform u in (0, 1) taken from
    /// <paramref name="random"/>.</summary>
    public double Sample(Random random)
    {
        double e = -Math.Log(Gumbel.OpenUniform(random));
        return IsGumbel
            ? Location - (Scale * Math.Log(e))
            : Location + (Scale * (Math.Exp(-Shape * Math.Log(e)) - 1) / Shape);
    }

    /// <summary>Σ log f(xᵢ) over <paramref name="samples"/>; −∞ when any sample lies outside the support.</summary>
    public double LogLikelihood(double[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return LogLikelihood(samples, Location, Scale, Shape);
    }

    /// <summary>
    /// Maximum-likelihood fit with |ξ| &lt; <paramref name="shapeBound"/>, started from the Gumbel moment fit.
    /// Falls back to that moment fit (<see cref="GevFit.FellBackToGumbel"/>, with the reason) for fewer than
    /// <see cref="GevMaximumLikelihood.MinimumSamples"/> samples, constant samples, or an optimiser that throws,
    /// does not converge or ends on non-finite values. See <see cref="GevMaximumLikelihood"/> for the method.
    /// </summary>
    /// <param name="samples">Block maxima (finite, at least one).</param>
    /// <param name="shapeBound">The bound on |ξ|, in (0, 1]: below ξ = −1 the likelihood is unbounded.</param>
    /// <exception cref="ArgumentException"><paramref name="samples"/> is empty or holds a non-finite value, or
    /// <paramref name="shapeBound"/> is outside (0, 1].</exception>
    public static GevFit FitMaximumLikelihood(double[] samples, double shapeBound = 0.5) =>
        GevMaximumLikelihood.Fit(samples, shapeBound);

    /// <summary>The log-likelihood kernel, allocation-free: the optimiser calls it once per evaluation.</summary>
    internal static double LogLikelihood(ReadOnlySpan<double> samples, double location, double scale, double shape)
    {
        double inverseScale = 1 / scale;
        double sum = 0;
        if (Math.Abs(shape) < GumbelShapeThreshold)
        {
            foreach (double x in samples)
            {
                double z = (x - location) * inverseScale;
                sum += z + Math.Exp(-z);
            }
        }
        else
        {
            double slope = shape * inverseScale;
            double inverseShape = 1 / shape;
            foreach (double x in samples)
            {
                double t = 1 + (slope * (x - location));
                if (!(t > 0))
                {
                    return double.NegativeInfinity;
                }
                double logT = Math.Log(t);
                sum += ((1 + inverseShape) * logT) + Math.Exp(-inverseShape * logT);
            }
        }
        return (-samples.Length * Math.Log(scale)) - sum;
    }
}
