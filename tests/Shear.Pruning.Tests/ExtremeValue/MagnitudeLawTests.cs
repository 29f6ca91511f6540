using MathNet.Numerics.Distributions;
using Xunit;

namespace Shear.Pruning.ExtremeValue;

/// <summary>The per-layer magnitude laws: fitted parameters, CDFs against closed forms and MathNet, degenerate
/// layers and argument checks.</summary>
public class MagnitudeLawTests
{
    private static readonly double[] _magnitudes = [0.1, 0.4, 0.4, 0.05, 1.2, 0.7, 0.3, 0.4];

    [Fact]
    public void HalfNormal_Sigma_IsTheRootMeanSquareOfTheWeights()
    {
        var law = MagnitudeLaw.Fit(MagnitudeLawKind.HalfNormal, _magnitudes);

        double expected = Math.Sqrt(_magnitudes.Sum(m => m * m) / _magnitudes.Length);
        Assert.Equal(MagnitudeLawKind.HalfNormal, law.Kind);
        Assert.Equal(["sigma"], law.Parameters.Keys);
        Assert.Equal(expected, law.Parameters["sigma"], 14);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(2.5)]
    public void HalfNormal_Cdf_EqualsTwicePhiMinusOne(double a)
    {
        var law = MagnitudeLaw.Fit(MagnitudeLawKind.HalfNormal, _magnitudes);
        double sigma = law.Parameters["sigma"];

        Assert.Equal((2 * Normal.CDF(0, sigma, a)) - 1, law.Cdf(a), 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(1.5)]
    public void HalfLaplace_Cdf_IsOneMinusExpOfMinusAOverMeanMagnitude(double a)
    {
        var law = MagnitudeLaw.Fit(MagnitudeLawKind.HalfLaplace, _magnitudes);

        double b = _magnitudes.Average();
        Assert.Equal(["b"], law.Parameters.Keys);
        Assert.Equal(b, law.Parameters["b"], 14);
        Assert.Equal(1 - Math.Exp(-a / b), law.Cdf(a), 14);
    }

    [Fact]
    public void Empirical_CdfAtEachSamplePoint_IsTheFractionAtOrBelowIt()
    {
        var law = MagnitudeLaw.Fit(MagnitudeLawKind.Empirical, _magnitudes);

        Assert.Equal(8.0, law.Parameters["n"]);
        foreach (double m in _magnitudes)
        {
            Assert.Equal((double)_magnitudes.Count(x => x <= m) / _magnitudes.Length, law.Cdf(m));
        }
        Assert.Equal(6.0 / 8, law.Cdf(0.4));    // three tied 0.4s all count
        Assert.Equal(0.0, law.Cdf(0.049));
        Assert.Equal(2.0 / 8, law.Cdf(0.2));
    }

    [Fact]
    public void Empirical_SortsItsOwnCopy_LeavingTheInputUntouched()
    {
        double[] input = [.. _magnitudes];

        MagnitudeLaw.Fit(MagnitudeLawKind.Empirical, input);

        Assert.Equal(_magnitudes, input);
    }

    [Theory]
    [InlineData(MagnitudeLawKind.HalfNormal)]
    [InlineData(MagnitudeLawKind.HalfLaplace)]
    [InlineData(MagnitudeLawKind.Empirical)]
    public void Cdf_IsMonotoneFromZeroBelowZeroToOne(MagnitudeLawKind kind)
    {
        var law = MagnitudeLaw.Fit(kind, _magnitudes);

        Assert.Equal(0.0, law.Cdf(-1e-9));
        double previous = 0;
        for (double a = 0; a <= 20; a += 0.01)
        {
            double current = law.Cdf(a);
            Assert.True(current >= previous, $"{kind}: CDF fell from {previous} to {current} at {a}");
            previous = current;
        }
        Assert.Equal(1.0, law.Cdf(20), 12);
    }

    [Theory]
    [InlineData(MagnitudeLawKind.HalfNormal)]
    [InlineData(MagnitudeLawKind.HalfLaplace)]
    [InlineData(MagnitudeLawKind.Empirical)]
    public void AllZeroMagnitudes_CdfIsOneFromZeroOn(MagnitudeLawKind kind)
    {
        var law = MagnitudeLaw.Fit(kind, [0, 0, 0]);

        Assert.Equal(0.0, law.Cdf(-0.5));
        Assert.Equal(1.0, law.Cdf(0));
        Assert.Equal(1.0, law.Cdf(3));
    }

    [Fact]
    public void Fit_NoMagnitudes_ThrowsNamingMagnitudes()
    {
        var error = Assert.Throws<ArgumentException>(() => MagnitudeLaw.Fit(MagnitudeLawKind.HalfNormal, []));

        Assert.Equal("magnitudes", error.ParamName);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Fit_NegativeOrNonFiniteMagnitude_ThrowsNamingMagnitudes(double bad)
    {
        var error = Assert.Throws<ArgumentException>(() => MagnitudeLaw.Fit(MagnitudeLawKind.Empirical, [0.2, bad]));

        Assert.Equal("magnitudes", error.ParamName);
    }
}
