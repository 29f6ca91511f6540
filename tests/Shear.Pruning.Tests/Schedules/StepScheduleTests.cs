using Xunit;

namespace Shear.Pruning.Schedules;

/// <summary>The step schedules of iterative screening.</summary>
public class StepScheduleTests
{
    [Fact]
    public void Anneal_FollowsTheFsaKeptCountAndReachesTheTargetByHalfway()
    {
        // T = 10, μ = 100, s* = 0.9: d_1 = 0.1 + 0.9·8/210.
        Assert.Equal(0.9 * (1 - (8.0 / 210)), StepSchedule.SparsityAfter(StepScheduleKind.Anneal, 1, 10, 0.9), 12);
        Assert.Equal(0.9, StepSchedule.SparsityAfter(StepScheduleKind.Anneal, 5, 10, 0.9), 12);
        Assert.Equal(0.9, StepSchedule.SparsityAfter(StepScheduleKind.Anneal, 10, 10, 0.9));
        Assert.True(StepSchedule.SparsityAfter(StepScheduleKind.Anneal, 1, 10, 0.9, mu: 1) < StepSchedule.SparsityAfter(StepScheduleKind.Anneal, 1, 10, 0.9));
    }

    [Theory]
    [InlineData(StepScheduleKind.Anneal)]
    [InlineData(StepScheduleKind.Linear)]
    public void EveryKind_IsNonDecreasingAndEndsAtTheTarget(StepScheduleKind kind)
    {
        double[] steps = [.. Enumerable.Range(1, 7).Select(t => StepSchedule.SparsityAfter(kind, t, 7, 0.8, mu: 2))];

        Assert.Equal(0.8, steps[^1]);
        Assert.All(steps.Zip(steps.Skip(1)), p => Assert.True(p.First <= p.Second, $"{p.First} then {p.Second}"));
        Assert.All(steps, s => Assert.InRange(s, 0, 0.8));
    }

    [Fact]
    public void Linear_IsEvenlySpaced() => Assert.Equal(0.3, StepSchedule.SparsityAfter(StepScheduleKind.Linear, 1, 3, 0.9), 12);
}
