using Xunit;
using static TorchSharp.torch;

namespace Shear.TestKit;

/// <summary>Tensor comparisons for tests; never compare floats with ==.</summary>
public static class TensorAssert
{
    /// <summary>Asserts equal shapes and |expected − actual| ≤ <paramref name="absoluteTolerance"/> everywhere.</summary>
    public static void AllClose(Tensor expected, Tensor actual, double absoluteTolerance = 1e-5, string? what = null)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        double maxDifference = (expected.to(float64) - actual.to(float64)).abs().max().item<double>();
        Assert.True(maxDifference <= absoluteTolerance,
            $"{(what is null ? "" : what + ": ")}max |expected - actual| = {maxDifference:G6} exceeds {absoluteTolerance:G6}");
    }

    /// <summary>Asserts that two tensors are bit-identical (same shape, dtype and every element).</summary>
    public static void BitIdentical(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.True(expected.eq(actual).all().item<bool>(), "tensors differ");
    }
}
