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
}
