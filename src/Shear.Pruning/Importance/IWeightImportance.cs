using Shear.Masks;

namespace Shear.Pruning.Importance;

/// <summary>
/// How much each weight matters: one score per weight, higher means keep. Criteria whose paper ranks the other
/// way (GraSP) negate their score here, never at selection time.
/// </summary>
public interface IWeightImportance
{
    /// <summary>Scores the weights of <paramref name="context"/>'s model, where <paramref name="current"/> is the
    /// mask in force (pruned weights may get any score; selection ignores them). The caller owns the result.</summary>
    public ScoreSet Score(PruningContext context, MaskSet current);

    /// <summary>Starts a pruning event that scores <paramref name="context"/>'s unchanged weights several times under
    /// shrinking masks (iterative pruning at initialisation). A criterion that prepares something per model (SynFlow's
    /// float64 copy) does it once here instead of at every scoring. The caller disposes the result when the event
    /// ends.</summary>
    public IScoringEvent Begin(PruningContext context) => new EachCall(this, context);

    /// <summary>Scores each call afresh.</summary>
    private sealed class EachCall(IWeightImportance importance, PruningContext context) : IScoringEvent
    {
        public ScoreSet Score(MaskSet current) => importance.Score(context, current);

        public void Dispose()
        {
        }
    }
}

/// <summary>The scorings of one pruning event (see <see cref="IWeightImportance.Begin"/>).</summary>
public interface IScoringEvent : IDisposable
{
    /// <summary>Scores under <paramref name="current"/>, a subset of the previous call's mask. The caller owns the
    /// result.</summary>
    public ScoreSet Score(MaskSet current);
}
