namespace Shear.Pruning.ExtremeValue;

/// <summary>Result of <see cref="Gev.FitMaximumLikelihood"/>.</summary>
/// <param name="Distribution">The fitted GEV; Shape 0 (a Gumbel) when <paramref name="FellBackToGumbel"/>.</param>
/// <param name="FellBackToGumbel">True when the maximum-likelihood fit was not possible or failed and the Gumbel
/// moment fit (<see cref="Gumbel.FitMoments"/>) was returned instead.</param>
/// <param name="Reason">Why it fell back (for logs and reports); null when it did not.</param>
public sealed record GevFit(Gev Distribution, bool FellBackToGumbel, string? Reason);
