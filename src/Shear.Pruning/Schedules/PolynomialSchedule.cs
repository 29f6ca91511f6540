namespace Shear.Pruning.Schedules;

/// <summary>
/// s(t) = s_f + (s_i − s_f)·(1 − (t − t0)/(t1 − t0))^p between steps t0 and t1, s_i before and s_f after, with a
/// pruning event every <c>frequency</c> steps from t0 up to and including t1. p = 3 is Zhu &amp; Gupta's (2017)
/// gradual schedule; p = 1 a linear ramp.
/// </summary>
/// <param name="Initial">s_i, the sparsity at t0.</param>
/// <param name="Final">s_f, the sparsity from t1 on.</param>
/// <param name="StartStep">t0.</param>
/// <param name="EndStep">t1 (greater than t0).</param>
/// <param name="Frequency">Steps between pruning events (Δt).</param>
/// <param name="Exponent">p.</param>
public sealed record PolynomialSchedule(double Initial, double Final, long StartStep, long EndStep, long Frequency, double Exponent = 3)
    : ISparsitySchedule
{
    /// <inheritdoc/>
    public double SparsityAt(long step)
    {
        if (step <= StartStep)
        {
            return Initial;
        }
        if (step >= EndStep)
        {
            return Final;
        }
        return Interpolate(Initial, Final, (double)(step - StartStep) / (EndStep - StartStep), Exponent);
    }

    /// <summary>The ramp shared by every gradual schedule: s_f + (s_i − s_f)·(1 − f)^p at fraction f ∈ [0, 1] of the
    /// way (p = 1 is a straight line from s_i to s_f).</summary>
    public static double Interpolate(double initial, double final, double fraction, double exponent) =>
        final + ((initial - final) * Math.Pow(1.0 - Math.Clamp(fraction, 0, 1), exponent));

    /// <inheritdoc/>
    public bool IsPruningStep(long step) =>
        step >= StartStep && step <= EndStep && ((step - StartStep) % Frequency == 0 || step == EndStep);
}
