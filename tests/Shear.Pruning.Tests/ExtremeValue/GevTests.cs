using MathNet.Numerics;
using MathNet.Numerics.Random;
using Xunit;

namespace Shear.Pruning.ExtremeValue;

/// <summary>The GEV law: CDF limits and support ends, the Gumbel limit, density against CDF, and its sampler.</summary>
public class GevTests
{
    [Theory]
    [InlineData(-0.3)]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void Cdf_IsMonotoneFromZeroToOne(double shape)
    {
        var gev = new Gev(1, 0.3, shape);

        double previous = 0;
        for (double x = -3; x <= 30; x += 0.005)
        {
            double current = gev.Cdf(x);
            Assert.True(current >= previous, $"ξ {shape}: CDF fell from {previous} to {current} at {x}");
            previous = current;
        }
        Assert.Equal(0.0, gev.Cdf(-3), 12);
        Assert.Equal(1.0, gev.Cdf(1e6), 12);
    }

    [Theory]
    [InlineData(-2.0)]
    [InlineData(0.0)]
    [InlineData(0.9)]
    [InlineData(1.7)]
    [InlineData(4.0)]
    public void ShapeZero_EqualsGumbel(double x)
    {
        var gev = new Gev(1, 0.3, 0);
        var gumbel = new Gumbel(1, 0.3);

        Assert.Equal(gumbel.Cdf(x), gev.Cdf(x));
        Assert.Equal(gumbel.LogDensity(x), gev.LogDensity(x));
    }

    [Theory]
    [InlineData(1e-6)]
    [InlineData(-1e-6)]
    public void NearZeroShape_IsContinuousWithTheGumbelLimit(double shape)
    {
        var gev = new Gev(1, 0.3, shape);
        var gumbel = new Gumbel(1, 0.3);

        // The true gap is ~ξ·z²·exp(−z)/2, so stay within z ≥ −1.7 where it is below 1e-5.
        for (double x = 0.5; x <= 3; x += 0.25)
        {
            Assert.Equal(gumbel.Cdf(x), gev.Cdf(x), 1e-5);
            Assert.Equal(gumbel.LogDensity(x), gev.LogDensity(x), 1e-4);
        }
    }

    [Fact]
    public void PositiveShape_BelowLowerEnd_HasCdfZeroAndNoDensity()
    {
        var gev = new Gev(1, 0.3, 0.2);   // lower end μ − σ/ξ = -0.5

        Assert.Equal(0.0, gev.Cdf(-0.5));
        Assert.Equal(0.0, gev.Cdf(-0.7));
        Assert.Equal(double.NegativeInfinity, gev.LogDensity(-0.7));
        Assert.True(double.IsFinite(gev.LogDensity(-0.49)));
        Assert.True(gev.Cdf(0.2) > 0);
    }

    [Fact]
    public void NegativeShape_AboveUpperEnd_HasCdfOneAndNoDensity()
    {
        var gev = new Gev(1, 0.3, -0.2);   // upper end μ + σ/|ξ| = 2.5

        Assert.Equal(1.0, gev.Cdf(2.5));
        Assert.Equal(1.0, gev.Cdf(3));
        Assert.Equal(double.NegativeInfinity, gev.LogDensity(3));
        Assert.True(double.IsFinite(gev.LogDensity(2.49)));
        Assert.True(gev.Cdf(2.49) < 1);
    }

    [Theory]
    [InlineData(-0.2, 0.5, 1.4)]
    [InlineData(-0.2, 1.4, 2.5)]
    [InlineData(0.2, -0.5, 1.0)]
    [InlineData(0.2, 1.0, 6.0)]
    [InlineData(0.0, 0.2, 2.0)]
    public void LogDensity_IntegratesToTheCdfDifference(double shape, double a, double b)
    {
        var gev = new Gev(1, 0.3, shape);

        double integral = Integrate.OnClosedInterval(x => Math.Exp(gev.LogDensity(x)), a, b, 1e-12);

        Assert.Equal(gev.Cdf(b) - gev.Cdf(a), integral, 1e-8);
    }

    [Theory]
    [InlineData(-0.25)]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void Sample_CdfOfDraws_IsUniformByKolmogorovSmirnov(double shape)
    {
        var gev = new Gev(1, 0.3, shape);
        var random = new MersenneTwister(5);
        double[] u = [.. Enumerable.Range(0, 20_000).Select(_ => gev.Cdf(gev.Sample(random)))];
        Array.Sort(u);

        double distance = u.Select((value, i) => Math.Max(((i + 1.0) / u.Length) - value, value - ((double)i / u.Length)))
            .Max();

        // 1.63 / √n is the 1 % critical value of the one-sample Kolmogorov–Smirnov statistic.
        Assert.True(distance < 1.63 / Math.Sqrt(u.Length), $"KS distance {distance:G3}");
    }

    [Fact]
    public void LogLikelihood_IsTheSumOfLogDensities_AndMinusInfinityOutsideTheSupport()
    {
        var gev = new Gev(1, 0.3, 0.2);
        double[] samples = [0.4, 0.9, 1.3, 2.8];

        Assert.Equal(samples.Sum(gev.LogDensity), gev.LogLikelihood(samples), 12);
        Assert.Equal(double.NegativeInfinity, gev.LogLikelihood([0.9, -1.0]));
    }

    [Theory]
    [InlineData(0.0, 0.0, "Scale")]
    [InlineData(0.0, -1.0, "Scale")]
    [InlineData(double.NaN, 1.0, "Location")]
    public void Constructor_InvalidLocationOrScale_ThrowsNamingIt(double location, double scale, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new Gev(location, scale, 0.1));

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Constructor_NonFiniteShape_ThrowsNamingShape()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new Gev(0, 1, double.PositiveInfinity));

        Assert.Equal("Shape", error.ParamName);
    }
}
