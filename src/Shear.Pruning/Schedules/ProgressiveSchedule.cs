namespace Shear.Pruning.Schedules;

/// <summary>Shape of a sparsity ramp.</summary>
public enum RampShape
{
    /// <summary>A straight line (progressive magnitude pruning).</summary>
    Linear,

    /// <summary>Zhu &amp; Gupta's cubic: fast early, slow near the target.</summary>
    Cubic,
}

/// <summary>
/// Progressive magnitude pruning's schedule (METHODS.md §2.2): mask updates at steps t0, t0 + Δ, t0 + 2Δ, … (Δ = one
/// epoch's steps by default, so each update comes at the start of an epoch), the update at t aiming at the
/// sparsity due one interval later: s(t) = s0 + (s_f − s0)·ramp((t − t0 + Δ) / (P − t0)), reaching s_f at the last
/// update before the horizon P and holding it after. With s0 = 0, t0 = 0 and P = E epochs this is the authors'
/// s(e) = s_f·(e + 1)/E. No update before t0: the model trains dense.
/// </summary>
/// <param name="Initial">s0.</param>
/// <param name="Final">s_f.</param>
/// <param name="StartStep">t0, the step of the first update.</param>
/// <param name="HorizonStep">P in steps (greater than t0).</param>
/// <param name="Interval">Δ, steps between updates.</param>
/// <param name="Shape">Linear (the paper) or cubic.</param>
public sealed record ProgressiveSchedule(double Initial, double Final, long StartStep, long HorizonStep, long Interval, RampShape Shape)
    : ISparsitySchedule
{
    /// <inheritdoc/>
    public double SparsityAt(long step) => step < StartStep
        ? 0
        : PolynomialSchedule.Interpolate(Initial, Final, (double)(step - StartStep + Interval) / (HorizonStep - StartStep),
            Shape == RampShape.Cubic ? 3 : 1);

    /// <inheritdoc/>
    public bool IsPruningStep(long step) => step >= StartStep && step < HorizonStep && (step - StartStep) % Interval == 0;
}
