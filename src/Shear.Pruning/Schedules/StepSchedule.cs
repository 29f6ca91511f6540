namespace Shear.Pruning.Schedules;

/// <summary>How an iterative method's steps approach the final sparsity.</summary>
public enum StepScheduleKind
{
    /// <summary>The annealing schedule of Guo, She &amp; Barbu (FSA): the kept count M_t = M* + (M0 − M*)·max(0,
    /// (T − 2t)/(2tμ + T)), which removes most of the way in the first step and reaches M* at t = T/2.</summary>
    Anneal,

    /// <summary>Sparsity s·t/T.</summary>
    Linear,
}

/// <summary>Target sparsity after step t of T, for step-wise (prune, then fine-tune) methods.</summary>
public static class StepSchedule
{
    /// <summary>Sparsity after step <paramref name="step"/> (1-based) of <paramref name="steps"/> towards
    /// <paramref name="final"/>; <paramref name="mu"/> is the annealing rate μ.</summary>
    public static double SparsityAfter(StepScheduleKind kind, int step, int steps, double final, double mu = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(step, steps);
        if (step == steps)
        {
            return final;
        }
        return kind switch
        {
            StepScheduleKind.Linear => PolynomialSchedule.Interpolate(0, final, (double)step / steps, exponent: 1),
            // In densities: d_t = d* + (1 − d*)·max(0, (T − 2t)/(2tμ + T)), so s_t = s*·(1 − max(0, …)).
            StepScheduleKind.Anneal => final * (1 - Math.Max(0, (steps - (2.0 * step)) / ((2.0 * step * mu) + steps))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }
}
