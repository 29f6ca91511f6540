using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Shear.Pruning.ExtremeValue;

/// <summary>
/// Maximum-likelihood GEV fit. The samples are standardised by their Gumbel moment fit (so step sizes and
/// tolerances mean the same for every layer's scale), then MathNet's Nelder–Mead minimises the mean negative
/// log-likelihood over θ = (μ, log σ, t) with ξ = bound·tanh(t): the transform keeps |ξ| &lt; bound without a
/// penalty, and log σ keeps σ &gt; 0. It starts at the moment fit (θ = 0) and restarts from its optimum until a
/// restart no longer improves, which guards against a simplex that collapsed early.
/// </summary>
internal static class GevMaximumLikelihood
{
    /// <summary>Fewer samples than this fall back to the Gumbel moment fit: three parameters need some data.</summary>
    public const int MinimumSamples = 10;

    // Relative spread of the simplex's values at which Nelder–Mead stops. The mean negative log-likelihood of
    // standardised data is about 1.5, so this is ~1.5e-10 per sample: 3e-6 in total for 20,000 block maxima.
    private const double Tolerance = 1e-10;

    // Evaluations per Nelder–Mead run (MathNet counts evaluations as iterations); a converging run needs ~300.
    private const int MaximumEvaluations = 2000;

    private const int MaximumRestarts = 3;

    // Initial simplex edge in θ: a tenth of the moment fit's scale for μ, ±10 % for σ, ~0.1·bound for ξ.
    private const double Step = 0.1;

    /// <summary>The fit <see cref="Gev.FitMaximumLikelihood"/> documents.</summary>
    public static GevFit Fit(double[] samples, double shapeBound)
    {
        Require.FiniteSamples(samples, nameof(samples));
        if (!(shapeBound > 0 && shapeBound <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(shapeBound), shapeBound, "shapeBound must be in (0, 1]");
        }
        var start = Gumbel.FitMoments(samples);
        if (samples.Length < MinimumSamples)
        {
            return Fallback(start, $"{samples.Length} samples, fewer than the {MinimumSamples} a GEV fit needs");
        }
        if (Array.TrueForAll(samples, x => x == samples[0]))
        {
            return Fallback(start, "all samples are equal");
        }

        var standardised = new double[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            standardised[i] = (samples[i] - start.Location) / start.Scale;
        }
        double[] theta;
        try
        {
            theta = Minimise(standardised, shapeBound);
        }
        catch (Exception ex) when (ex is OptimizationException or ArithmeticException)
        {
            return Fallback(start, $"Nelder–Mead failed: {ex.Message}");
        }

        double location = start.Location + (start.Scale * theta[0]);
        double scale = start.Scale * Math.Exp(theta[1]);
        double shape = shapeBound * Math.Tanh(theta[2]);
        if (!double.IsFinite(location) || !(scale > 0 && double.IsFinite(scale)) || !double.IsFinite(shape))
        {
            return Fallback(start, $"the fit ended on non-finite parameters (μ {location}, σ {scale}, ξ {shape})");
        }
        return new GevFit(new Gev(location, scale, shape), false, null);
    }

    /// <summary>The minimising θ, after restarts; throws <see cref="OptimizationException"/> when a run does not
    /// converge, and <see cref="ArithmeticException"/> when the optimum is not finite.</summary>
    private static double[] Minimise(double[] standardised, double shapeBound)
    {
        var objective = ObjectiveFunction.Value(theta => MeanNegativeLogLikelihood(standardised, theta, shapeBound));
        var simplex = new NelderMeadSimplex(Tolerance, MaximumEvaluations);
        var step = Vector<double>.Build.Dense(3, Step);
        var best = Vector<double>.Build.Dense(3);
        double bestValue = double.PositiveInfinity;
        for (int run = 0; run <= MaximumRestarts; run++)
        {
            var result = simplex.FindMinimum(objective, best, step);
            // The result aliases the objective, which the next run re-evaluates: copy before restarting.
            double value = result.FunctionInfoAtMinimum.Value;
            var point = result.MinimizingPoint.Clone();
            if (result.ReasonForExit != ExitCondition.Converged)
            {
                throw new OptimizationException($"Nelder–Mead stopped with {result.ReasonForExit}");
            }
            bool improved = value < bestValue - (Tolerance * Math.Abs(value));
            if (value < bestValue)
            {
                (best, bestValue) = (point, value);
            }
            if (!improved)
            {
                break;
            }
        }
        if (!double.IsFinite(bestValue))
        {
            throw new ArithmeticException("the negative log-likelihood is not finite at the optimum");
        }
        return [.. best];
    }

    // +∞ (never NaN, which would confuse the simplex's comparisons) outside the support or for overflowing θ.
    private static double MeanNegativeLogLikelihood(double[] standardised, Vector<double> theta, double shapeBound)
    {
        double scale = Math.Exp(theta[1]);
        double shape = shapeBound * Math.Tanh(theta[2]);
        double logLikelihood = Gev.LogLikelihood(standardised, theta[0], scale, shape);
        double value = -logLikelihood / standardised.Length;
        return double.IsFinite(value) ? value : double.PositiveInfinity;
    }

    private static GevFit Fallback(Gumbel moments, string reason) =>
        new(new Gev(moments.Location, moments.Scale, 0), true, reason);
}
