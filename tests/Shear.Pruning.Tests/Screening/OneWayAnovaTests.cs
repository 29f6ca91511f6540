using System.Text.Json;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Screening;

/// <summary>The screening statistic: the streamed F equals SciPy's f_oneway on the fixture that
/// <c>peers/anova_f.py</c> wrote, and the zero-variance guard of METHODS.md §3.2 holds.</summary>
public class OneWayAnovaTests
{
    private static (double[][] Values, long[] Labels, int Classes, double[] F) Fixture()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "peers", "anova_f.json")));
        var root = document.RootElement;
        return ([.. root.GetProperty("values").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray())],
            [.. root.GetProperty("labels").EnumerateArray().Select(v => v.GetInt64())],
            root.GetProperty("classes").GetInt32(),
            [.. root.GetProperty("f").EnumerateArray().Select(v => v.GetDouble())]);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(13)]
    [InlineData(1)]
    public void F_StreamedInBatches_EqualsScipysFOneway(int batch)
    {
        var (values, labels, classes, expected) = Fixture();
        using var anova = new OneWayAnova(values[0].Length, classes);
        for (int start = 0; start < values.Length; start += batch)
        {
            int size = Math.Min(batch, values.Length - start);
            // float32 batches, as activations arrive: the shifted sums keep the 1e4-offset unit accurate.
            using var x = tensor(values.Skip(start).Take(size).SelectMany(r => r).ToArray(), dtype: float64).reshape(size, -1).to(float32).to(float64);
            using var y = tensor(labels.Skip(start).Take(size).ToArray());
            anova.Add(x, y);
        }

        double[] f = anova.F();

        for (int u = 0; u < expected.Length; u++)
        {
            // The fixture's values are exact in float64 but not in float32; the 1e4-offset unit loses the most.
            Assert.True(Math.Abs(f[u] - expected[u]) <= 1e-3 * expected[u], $"unit {u}: {f[u]} vs SciPy {expected[u]}");
        }
    }

    [Fact]
    public void F_Float64Values_MatchScipyToRoundingError()
    {
        var (values, labels, classes, expected) = Fixture();
        using var anova = new OneWayAnova(values[0].Length, classes);
        using var x = tensor(values.SelectMany(r => r).ToArray(), dtype: float64).reshape(values.Length, -1);
        using var y = tensor(labels);
        anova.Add(x, y);

        double[] f = anova.F();

        Assert.All(Enumerable.Range(0, expected.Length), u => Assert.True(Math.Abs(f[u] - expected[u]) <= 1e-9 * expected[u], $"unit {u}: {f[u]} vs {expected[u]}"));
    }

    [Fact]
    public void F_IsInvariantToAffineRescalingOfAUnit()
    {
        using var x = randn(60, 1, generator: new Generator(3), dtype: float64) + tensor(Enumerable.Range(0, 60).Select(i => (double)(i % 3)).ToArray(), dtype: float64).reshape(60, 1);
        using var y = tensor(Enumerable.Range(0, 60).Select(i => (long)(i % 3)).ToArray());
        using var a = new OneWayAnova(1, 3);
        using var b = new OneWayAnova(1, 3);
        a.Add(x, y);
        using var scaled = (x * -250.0) + 17.0;
        b.Add(scaled, y);

        Assert.Equal(a.F()[0], b.F()[0], 1e-9 * a.F()[0]);
    }

    [Fact]
    public void F_ZeroWithinClassVariance_IsZeroForAConstantUnitAndInfiniteForASeparatingOne()
    {
        long[] classes = [0, 0, 1, 1, 2, 2];
        // Unit 0 constant, unit 1 all zero (dead), unit 2 constant within each class but different across them.
        double[] values = [3, 0, 1, 3, 0, 1, 3, 0, 5, 3, 0, 5, 3, 0, -2, 3, 0, -2];
        using var anova = new OneWayAnova(3, 3);
        using var x = tensor(values, dtype: float64).reshape(6, 3);
        using var y = tensor(classes);
        anova.Add(x, y);

        double[] f = anova.F();

        Assert.Equal(0, f[0]);
        Assert.Equal(0, f[1]);
        Assert.Equal(double.PositiveInfinity, f[2]);
    }

    [Fact]
    public void F_OneClassOnly_IsAnError()
    {
        using var anova = new OneWayAnova(1, 3);
        using var x = ones(4, 1);
        using var y = zeros(4, dtype: int64);
        anova.Add(x, y);

        var error = Assert.Throws<InvalidOperationException>(() => anova.F());
        Assert.Contains("at least two classes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalise_CapsInfinityAtTheLargestFiniteAndFallsBackToOnesWithoutInformation()
    {
        Assert.Equal([0.5, 1, 1, 0], UnitScreen.Normalise([2, double.PositiveInfinity, 4, 0]));
        Assert.Equal([1.0, 1.0], UnitScreen.Normalise([0, 0]));
        Assert.Equal([0.5, 1.5], UnitScreen.Normalise([1, 3], byMean: true));
    }
}
