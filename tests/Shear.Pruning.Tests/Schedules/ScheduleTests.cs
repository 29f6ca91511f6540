using Xunit;

namespace Shear.Pruning.Schedules;

/// <summary>The sparsity schedules against their closed forms (Zhu &amp; Gupta 2017; geometric LTH/SynFlow rounds).</summary>
public class ScheduleTests
{
    // s_i = 0.1, s_f = 0.9, t0 = 100, t1 = 1100 (n·Δt = 1000 steps), an event every 100 steps.
    private static readonly PolynomialSchedule _cubic = new(0.1, 0.9, 100, 1100, 100);

    [Theory]
    [InlineData(350, 0.5625)]   // (1 - 250/1000)^3 = 0.421875; 0.9 - 0.8 * 0.421875
    [InlineData(600, 0.8)]      // (1/2)^3 = 0.125
    [InlineData(850, 0.8875)]   // (1/4)^3 = 0.015625
    [InlineData(1000, 0.8992)]  // (1/10)^3 = 0.001
    public void Polynomial_Cubic_EqualsZhuGuptaFormula(long step, double expected)
    {
        Assert.Equal(expected, _cubic.SparsityAt(step), 12);
    }

    [Fact]
    public void Polynomial_BeforeAndAtStart_IsInitial()
    {
        Assert.Equal(0.1, _cubic.SparsityAt(0));
        Assert.Equal(0.1, _cubic.SparsityAt(100));
    }

    [Fact]
    public void Polynomial_FromEndOn_HoldsFinalExactly()
    {
        Assert.Equal(0.9, _cubic.SparsityAt(1100));
        Assert.Equal(0.9, _cubic.SparsityAt(1101));
        Assert.Equal(0.9, _cubic.SparsityAt(1_000_000));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void Polynomial_EveryStep_IsMonotoneNonDecreasingWithinBounds(double exponent)
    {
        var schedule = _cubic with { Exponent = exponent };
        double previous = schedule.SparsityAt(0);
        for (long step = 1; step <= 1200; step++)
        {
            double current = schedule.SparsityAt(step);
            Assert.True(current >= previous, $"sparsity fell from {previous} to {current} at step {step}");
            Assert.InRange(current, 0.1, 0.9);
            previous = current;
        }
    }

    [Fact]
    public void Polynomial_ExponentOne_IsALinearRamp()
    {
        var linear = _cubic with { Exponent = 1 };

        Assert.Equal(0.5, linear.SparsityAt(600), 12);
        Assert.Equal(0.3, linear.SparsityAt(350), 12);
    }

    [Fact]
    public void IsPruningStep_EveryFrequencyStepsFromStart_AndAtAnOffGridEnd()
    {
        // t1 = 1050 is not on the 100-step grid: the last event is forced there.
        var schedule = new PolynomialSchedule(0, 0.8, 100, 1050, 100);
        long[] expected = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1050];

        var events = Enumerable.Range(0, 1300).Select(s => (long)s).Where(schedule.IsPruningStep);

        Assert.Equal(expected, events);
    }

    [Fact]
    public void IsPruningStep_OnGridEnd_HasNoEventAfterIt()
    {
        var events = Enumerable.Range(0, 2000).Select(s => (long)s).Where(_cubic.IsPruningStep).ToList();

        Assert.Equal(11, events.Count);
        Assert.Equal(100, events[0]);
        Assert.Equal(1100, events[^1]);
    }

    [Theory]
    [InlineData(0.9, 0.2, 11)]   // 0.8^10 = 0.107 > 0.1 >= 0.8^11 = 0.086
    [InlineData(0.36, 0.2, 2)]   // exactly 0.8^2: the 1e-9 guard stops a third round
    [InlineData(0.2, 0.2, 1)]
    [InlineData(0.0, 0.2, 0)]
    [InlineData(0.99, 0.5, 7)]   // 0.5^6 = 0.0156 > 0.01 >= 0.5^7
    public void Geometric_RoundsFor_IsTheFewestRoundsReachingTheTarget(double final, double rate, int expected)
    {
        Assert.Equal(expected, GeometricSchedule.RoundsFor(final, rate));
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 0.2)]
    [InlineData(2, 0.36)]
    [InlineData(10, 0.8926258176)]  // 1 - 0.8^10
    [InlineData(11, 0.9)]           // 1 - 0.8^11 = 0.914 is capped at the final 0.9
    [InlineData(20, 0.9)]
    public void Geometric_SparsityAfterRate_IsOneMinusPowerCappedAtFinal(int round, double expected)
    {
        Assert.Equal(expected, GeometricSchedule.SparsityAfterRate(round, 0.2, 0.9), 10);
    }

    [Theory]
    [InlineData(0, 100, 0.0)]
    [InlineData(1, 100, 0.0227627790)]   // 1 - 0.1^(1/100)
    [InlineData(50, 100, 0.6837722340)]  // 1 - sqrt(0.1)
    [InlineData(99, 100, 0.8976707008)]  // 1 - 0.1^(99/100)
    [InlineData(1, 1, 0.9)]
    [InlineData(3, 2, 0.9)]
    public void Geometric_SparsityAfter_IsOneMinusDensityToTheFraction(int round, int rounds, double expected)
    {
        Assert.Equal(expected, GeometricSchedule.SparsityAfter(round, rounds, 0.9), 9);
    }

    [Theory]
    [InlineData(100, 100, 0.9)]
    [InlineData(5, 5, 0.7)]
    [InlineData(7, 5, 0.35)]
    public void Geometric_SparsityAfterLastRound_IsExactlyFinal(int round, int rounds, double final)
    {
        // Bit-equal to the request, so the last round keeps exactly round((1 - final) * total) weights.
        Assert.Equal(final, GeometricSchedule.SparsityAfter(round, rounds, final));
    }

    [Fact]
    public void Geometric_SparsityAfter_IsStrictlyIncreasingOverRounds()
    {
        double previous = 0;
        for (int k = 1; k <= 100; k++)
        {
            double current = GeometricSchedule.SparsityAfter(k, 100, 0.9);
            Assert.True(current > previous, $"round {k}: {current} <= {previous}");
            previous = current;
        }
    }
}
