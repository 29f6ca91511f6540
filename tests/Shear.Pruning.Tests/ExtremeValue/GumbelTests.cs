using MathNet.Numerics;
using MathNet.Numerics.Random;
using Xunit;

namespace Shear.Pruning.ExtremeValue;

/// <summary>The Gumbel law: closed forms, its own sampler recovered by the moment fit, and degenerate input.</summary>
public class GumbelTests
{
    [Fact]
    public void FitMoments_TwentyThousandOwnSamples_RecoversLocationAndScaleWithinTwoPercent()
    {
        var truth = new Gumbel(2, 0.5);
        var random = new MersenneTwister(11);
        double[] samples = [.. Enumerable.Range(0, 20_000).Select(_ => truth.Sample(random))];

        var fit = Gumbel.FitMoments(samples);

        // The standard error of the sample sd of a Gumbel (excess kurtosis 2.4) is ~0.74 % here, so 2 % is ~2.7 SE.
        Assert.InRange(fit.Location / truth.Location, 0.98, 1.02);
        Assert.InRange(fit.Scale / truth.Scale, 0.98, 1.02);
    }

    [Fact]
    public void FitMoments_HandComputedSample_UsesSampleSdAndEulerGamma()
    {
        double[] samples = [1, 2, 3, 4];   // mean 2.5, sample sd sqrt(5/3)

        var fit = Gumbel.FitMoments(samples);

        double scale = Math.Sqrt(6) * Math.Sqrt(5.0 / 3) / Math.PI;
        Assert.Equal(scale, fit.Scale, 14);
        Assert.Equal(2.5 - (0.5772156649015329 * scale), fit.Location, 14);
    }

    [Theory]
    [InlineData(new[] { 3.0, 3.0, 3.0 })]
    [InlineData(new[] { 3.0 })]
    public void FitMoments_ConstantSamples_GivesTinyPositiveScaleAtTheValue(double[] samples)
    {
        var fit = Gumbel.FitMoments(samples);

        Assert.Equal(3 * Gumbel.DegenerateRelativeScale, fit.Scale, 3 * Gumbel.DegenerateRelativeScale * 1e-9);
        Assert.Equal(3.0, fit.Location, 9);
        Assert.Equal(0.0, fit.Cdf(2.999), 12);
        Assert.Equal(1.0, fit.Cdf(3.001), 12);
    }

    [Fact]
    public void Cdf_IsMonotoneFromZeroToOne_AndExpMinusOneAtTheMode()
    {
        var gumbel = new Gumbel(2, 0.5);

        Assert.Equal(Math.Exp(-1), gumbel.Cdf(2), 15);
        Assert.Equal(0.0, gumbel.Cdf(-10), 15);
        Assert.Equal(1.0, gumbel.Cdf(40), 15);
        double previous = 0;
        for (double x = -5; x <= 20; x += 0.01)
        {
            double current = gumbel.Cdf(x);
            Assert.True(current >= previous, $"CDF fell from {previous} to {current} at {x}");
            previous = current;
        }
    }

    [Theory]
    [InlineData(-1.0, 1.5)]
    [InlineData(1.8, 2.2)]
    [InlineData(2.5, 9.0)]
    public void LogDensity_IntegratesToTheCdfDifference(double a, double b)
    {
        var gumbel = new Gumbel(2, 0.5);

        double integral = Integrate.OnClosedInterval(x => Math.Exp(gumbel.LogDensity(x)), a, b, 1e-12);

        Assert.Equal(gumbel.Cdf(b) - gumbel.Cdf(a), integral, 1e-10);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_ScaleNotPositiveAndFinite_ThrowsNamingScale(double scale)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new Gumbel(0, scale));

        Assert.Equal("Scale", error.ParamName);
    }

    [Fact]
    public void With_InvalidScale_ThrowsToo()
    {
        var gumbel = new Gumbel(0, 1);

        var error = Assert.ThrowsAny<ArgumentException>(() => gumbel with { Scale = -2 });

        Assert.Equal("Scale", error.ParamName);
    }

    [Fact]
    public void FitMoments_NoSamples_ThrowsNamingSamples()
    {
        var error = Assert.Throws<ArgumentException>(() => Gumbel.FitMoments([]));

        Assert.Equal("samples", error.ParamName);
    }
}
