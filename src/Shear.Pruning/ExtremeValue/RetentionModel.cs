namespace Shear.Pruning.ExtremeValue;

/// <summary>Which extreme-value model gives a weight its retention probability (METHODS.md §1.3 (A)).</summary>
public enum RetentionModelKind
{
    /// <summary>EV-1: p = F(|w|)^m, the chance that |w| is at least the largest of m draws from the layer's
    /// magnitude law F (after Paik's maximum-value model).</summary>
    MaxOfM,

    /// <summary>EV-2: p = G(|w|), G a Gumbel fitted by moments to the maxima of blocks of |w|.</summary>
    BlockGumbel,

    /// <summary>EV-2 with a GEV fitted by maximum likelihood (shape bounded, Gumbel fallback).</summary>
    BlockGev,
}

/// <summary>Settings of a <see cref="RetentionModel"/>.</summary>
/// <param name="Kind">The model.</param>
/// <param name="Law">Magnitude law of <see cref="RetentionModelKind.MaxOfM"/>.</param>
/// <param name="M">m of <see cref="RetentionModelKind.MaxOfM"/>.</param>
/// <param name="BlockSize">Weights per block of the block-maxima models.</param>
public sealed record RetentionSettings(RetentionModelKind Kind, MagnitudeLawKind Law, double M, int BlockSize);

/// <summary>
/// A layer's fitted extreme-value model: the retention probability p(|w|) of each weight, and the fitted parameters
/// for the record. Fitted on the magnitudes of the layer's active weights.
/// </summary>
public sealed class RetentionModel
{
    private readonly Func<double, double> _probability;

    private RetentionModel(Func<double, double> probability, IReadOnlyDictionary<string, double> parameters, string? note)
    {
        _probability = probability;
        Parameters = parameters;
        Note = note;
    }

    /// <summary>Fitted parameters by name (sigma, b, m, mu, beta, xi, …).</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; }

    /// <summary>Why a fit fell back (GEV to Gumbel), or null.</summary>
    public string? Note { get; }

    /// <summary>Fits <paramref name="settings"/>' model to <paramref name="magnitudes"/> (|w| ≥ 0, not empty).</summary>
    public static RetentionModel Fit(RetentionSettings settings, double[] magnitudes)
    {
        switch (settings.Kind)
        {
            case RetentionModelKind.MaxOfM:
                var law = MagnitudeLaw.Fit(settings.Law, magnitudes);
                double m = settings.M;
                return new RetentionModel(a => Math.Pow(law.Cdf(a), m),
                    new Dictionary<string, double>(law.Parameters) { ["m"] = m }, null);
            case RetentionModelKind.BlockGumbel:
                var gumbel = Gumbel.FitMoments(BlockMaxima.Of(magnitudes, settings.BlockSize));
                return new RetentionModel(gumbel.Cdf, new Dictionary<string, double> { ["mu"] = gumbel.Location, ["beta"] = gumbel.Scale }, null);
            case RetentionModelKind.BlockGev:
                var fit = Gev.FitMaximumLikelihood(BlockMaxima.Of(magnitudes, settings.BlockSize));
                var gev = fit.Distribution;
                return new RetentionModel(gev.Cdf,
                    new Dictionary<string, double> { ["mu"] = gev.Location, ["sigma"] = gev.Scale, ["xi"] = gev.Shape },
                    fit.FellBackToGumbel ? "GEV fit fell back to Gumbel: " + fit.Reason : null);
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "unknown retention model");
        }
    }

    /// <summary>p(|w|) in [0, 1].</summary>
    public double Probability(double magnitude) => Math.Clamp(_probability(magnitude), 0, 1);
}
