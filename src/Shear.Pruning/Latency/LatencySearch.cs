using Shear.Pruning.Structure;

namespace Shear.Pruning.Latency;

/// <summary>One step of a latency search: the fraction of channels tried and the latency it was predicted at.</summary>
/// <param name="Fraction">The selector's fraction.</param>
/// <param name="PredictedRatio">Predicted latency of the compacted model over the dense model's.</param>
public sealed record LatencyProbe(double Fraction, double PredictedRatio);

/// <summary>
/// Finds the smallest fraction of channels to remove whose compacted model is predicted to run within a latency
/// target, by bisection between 0 and an upper bound (the method's <c>--sparsity</c>). Predicted latency falls as
/// more channels go, though not strictly (aligned counts move in blocks), so the search returns a plan that meets
/// the target and is within the search's resolution of the smallest such fraction.
/// </summary>
public static class LatencySearch
{
    /// <summary>Fractions closer than this are not told apart.</summary>
    public const double Resolution = 0.005;

    /// <summary>The candidate at the smallest fraction in [0, <paramref name="upper"/>] whose plan's predicted
    /// latency ratio is at most <paramref name="target"/>, or the one at <paramref name="upper"/> when none is (the
    /// caller warns), with every probe made. A candidate is whatever <paramref name="candidateAt"/> makes for a
    /// fraction (a plan, or a plan with how it was made); <paramref name="planOf"/> gives its plan.</summary>
    public static (T Candidate, LatencyProbe Chosen, IReadOnlyList<LatencyProbe> Probes) Smallest<T>(
        Func<double, T> candidateAt, Func<T, ChannelPlan> planOf, double upper, double target, ILatencyModel model, Graphs.ModelGraph dense)
    {
        double denseMs = model.Milliseconds(dense);
        var probes = new List<LatencyProbe>();
        (T, LatencyProbe) Probe(double fraction)
        {
            var candidate = candidateAt(fraction);
            var probe = new LatencyProbe(fraction, model.Milliseconds(ChannelSurgery.CompactedGraph(planOf(candidate))) / denseMs);
            probes.Add(probe);
            return (candidate, probe);
        }
        var (best, chosen) = Probe(upper);
        if (chosen.PredictedRatio > target)
        {
            return (best, chosen, probes);
        }
        double low = 0, high = upper;
        while (high - low > Resolution)
        {
            double middle = (low + high) / 2;
            var (candidate, probe) = Probe(middle);
            if (probe.PredictedRatio <= target)
            {
                (best, chosen, high) = (candidate, probe, middle);
            }
            else
            {
                low = middle;
            }
        }
        return (best, chosen, probes);
    }
}
