using Xunit;

namespace Shear.Experiments.Benchmarks;

/// <summary>The break-even of <c>shear bench kernels</c>: the lowest sparsity from which the sparse kernel stays
/// faster, not the first crossing of a noisy curve.</summary>
public class KernelBenchmarkTests
{
    [Fact]
    public void BreakEvens_SparseFasterFromSomeSparsityOn_IsTheLowestOfThatUnbrokenRun()
    {
        KernelFigure[] figures =
        [
            new("conv", 0.0, 64, 1.0, 3.0), new("conv", 0.5, 64, 1.0, 0.9), new("conv", 0.7, 64, 1.0, 1.1),
            new("conv", 0.8, 64, 1.0, 0.6), new("conv", 0.9, 64, 1.0, 0.3),
            new("linear", 0.0, 1, 1.0, 2.0), new("linear", 0.9, 1, 1.0, 1.5),
        ];

        var breakEvens = KernelBenchmark.BreakEvens(figures).ToDictionary(b => b.Layer, b => b.BreakEven);

        Assert.Equal(0.8, breakEvens["conv"]); // 0.5 is faster, 0.7 is not again
        Assert.Null(breakEvens["linear"]);
    }

    [Fact]
    public void Run_OneSparsityOneBatch_TimesEveryLayerWithBothKernels()
    {
        var figures = KernelBenchmark.Run([0.9], [2], repeats: 1, blockSeconds: 0.001);

        Assert.Equal(KernelBenchmark.Layers.Select(l => l.Name), figures.Select(f => f.Layer));
        Assert.All(figures, f => Assert.True(f.DenseMs > 0 && f.SparseMs > 0 && f.Batch == 2));
    }
}
