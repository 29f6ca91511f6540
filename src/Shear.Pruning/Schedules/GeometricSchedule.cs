namespace Shear.Pruning.Schedules;

/// <summary>
/// Round-based sparsity where each round keeps the same fraction of what is left: after round k of n the density
/// is (1 − s)^(k/n). Used by Lottery Ticket rounds and SynFlow's iterations.
/// </summary>
public static class GeometricSchedule
{
    /// <summary>Sparsity after round <paramref name="round"/> of <paramref name="rounds"/> towards <paramref name="final"/>.</summary>
    public static double SparsityAfter(int round, int rounds, double final) =>
        round >= rounds ? final : 1.0 - Math.Pow(1.0 - final, (double)round / rounds);

    /// <summary>Rounds of pruning <paramref name="rate"/> of the remaining weights needed to reach
    /// <paramref name="final"/> (the last round may prune less).</summary>
    public static int RoundsFor(double final, double rate) =>
        final <= 0 ? 0 : (int)Math.Ceiling((Math.Log(1.0 - final) / Math.Log(1.0 - rate)) - 1e-9);

    /// <summary>Sparsity after round <paramref name="round"/> when each round prunes <paramref name="rate"/> of
    /// the remaining weights, capped at <paramref name="final"/>.</summary>
    public static double SparsityAfterRate(int round, double rate, double final) =>
        Math.Min(final, 1.0 - Math.Pow(1.0 - rate, round));
}
