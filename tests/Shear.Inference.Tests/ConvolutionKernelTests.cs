using Shear.Data;
using Shear.Graphs;
using Shear.Inference.Kernels;
using Shear.Inference.Loading;
using Xunit;

namespace Shear.Inference;

/// <summary>The conv and linear kernels (dense and CSR, every register width, one and two threads) against a naive
/// reference in double precision, on shapes chosen to hit every edge: odd channel counts, stride 2, padding, 1x1 and
/// 3x3 kernels, groups, batch 1 and 7, runs shorter than one register (position-major).</summary>
public class ConvolutionKernelTests
{
    public static TheoryData<int, int, int, int, int, int, int> Shapes() => new()
    {
        // in, out, side, kernel, stride, padding, groups
        { 3, 5, 9, 3, 1, 1, 1 },
        { 7, 13, 8, 3, 2, 1, 1 },
        { 6, 9, 7, 1, 1, 0, 1 },
        { 5, 11, 10, 1, 2, 0, 1 },
        { 4, 6, 11, 5, 1, 2, 1 },
        { 1, 3, 5, 3, 1, 0, 1 },
        { 8, 8, 6, 3, 1, 1, 8 },
        { 6, 4, 9, 3, 2, 1, 2 },
        { 17, 33, 3, 3, 1, 1, 1 },
        // Fewer positions than a register (gathered position-major): 1 and 7 at 1x1, 4 and 28 at 2x2 grouped.
        { 20, 8, 1, 3, 1, 1, 1 },
        { 9, 6, 2, 3, 1, 1, 3 },
        // Gathered with stride 2: a 3x3 image, and a 1x1 one where every tap but the centre reads padding.
        { 6, 5, 3, 3, 2, 1, 1 },
        { 4, 3, 1, 3, 2, 1, 1 },
        // Rows longer than the dense kernel's chunk of 512 sources, gathered and phased.
        { 70, 9, 5, 3, 1, 1, 1 },
        { 60, 7, 12, 3, 1, 1, 1 },
        // Position-major rows longer than a dot product's chunk of 8,192 sources, with a partial block of rows.
        { 1000, 6, 3, 3, 1, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Run_Convolution_EqualsTheNaiveReference(int inChannels, int outChannels, int side, int kernel, int stride, int padding, int groups)
    {
        var random = new Random(inChannels * 1000 + outChannels * 10 + kernel);
        var conv = new Conv2dSpec(inChannels, outChannels, kernel, stride, padding, Bias: true, groups);
        int outSide = ((side + (2 * padding) - kernel) / stride) + 1;
        var graph = ModelGraph.FromNodes("conv", new ImageShape(inChannels, side, side),
        [
            new GraphNode("input", new InputSpec(), [], [inChannels, side, side]),
            new GraphNode("conv", conv, [0], [outChannels, outSide, outSide]),
        ]);
        var weight = Random(random, outChannels * (inChannels / groups) * kernel * kernel, zeros: 0.7);
        var bias = Random(random, outChannels, zeros: 0);
        var weights = new Dictionary<string, WeightTensor>
        {
            ["conv.weight"] = new("conv.weight", [outChannels, inChannels / groups, kernel, kernel], weight),
            ["conv.bias"] = new("conv.bias", [outChannels], bias),
        };
        foreach (int batch in new[] { 1, 7 })
        {
            var images = Random(random, batch * inChannels * side * side, zeros: 0);
            double[] expected = NaiveConvolution(images, batch, weight, bias, conv, side, outSide);
            foreach (var options in Variants())
            {
                using var engine = InferenceModel.Create(graph, weights, options);
                float[] actual = engine.Run(images);
                AssertClose(expected, actual, $"batch {batch}, {options}");
            }
        }
    }

    /// <summary>Stripe-pruned convolutions (each filter keeps some taps across all its input channels, as cdp-dtc
    /// leaves them) run the shared-source block kernel, with and without a fused ReLU, on every width and thread
    /// count, batch 1 and 7 (runs shorter than a tile take the scalar path).</summary>
    [Theory]
    [InlineData(3, 5, 9, 3, 1, 1, false)]
    [InlineData(7, 13, 8, 3, 2, 1, true)]
    [InlineData(4, 6, 11, 5, 1, 2, true)]
    [InlineData(17, 33, 3, 3, 1, 1, true)]
    [InlineData(60, 7, 12, 3, 1, 1, false)]
    [InlineData(16, 32, 14, 3, 1, 1, true)]
    public void Run_StripePrunedConvolution_RunsBlocksAndEqualsTheNaiveReference(int inChannels, int outChannels, int side, int kernel, int stride, int padding, bool relu)
    {
        var random = new Random(inChannels * 100 + outChannels);
        var conv = new Conv2dSpec(inChannels, outChannels, kernel, stride, padding, Bias: true);
        int outSide = ((side + (2 * padding) - kernel) / stride) + 1, taps = kernel * kernel;
        List<GraphNode> nodes =
        [
            new GraphNode("input", new InputSpec(), [], [inChannels, side, side]),
            new GraphNode("conv", conv, [0], [outChannels, outSide, outSide]),
        ];
        if (relu)
        {
            nodes.Add(new GraphNode("relu", new ReluSpec(), [1], [outChannels, outSide, outSide]));
        }
        var graph = ModelGraph.FromNodes("stripes", new ImageShape(inChannels, side, side), nodes);
        // A quarter of the (filter, tap) stripes kept, whole across the input channels.
        bool[] kept = [.. Enumerable.Range(0, outChannels * taps).Select(_ => random.NextDouble() < 0.25)];
        var weight = Random(random, outChannels * inChannels * taps, zeros: 0);
        for (int i = 0; i < weight.Length; i++)
        {
            int o = i / (inChannels * taps), t = i % taps;
            weight[i] = kept[(o * taps) + t] ? weight[i] : 0;
        }
        var bias = Random(random, outChannels, zeros: 0);
        var weights = new Dictionary<string, WeightTensor>
        {
            ["conv.weight"] = new("conv.weight", [outChannels, inChannels, kernel, kernel], weight),
            ["conv.bias"] = new("conv.bias", [outChannels], bias),
        };
        foreach (int batch in new[] { 1, 7 })
        {
            var images = Random(random, batch * inChannels * side * side, zeros: 0);
            double[] expected = NaiveConvolution(images, batch, weight, bias, conv, side, outSide);
            if (relu)
            {
                expected = [.. expected.Select(v => Math.Max(v, 0))];
            }
            foreach (var options in Variants())
            {
                using var engine = InferenceModel.Create(graph, weights, options with { StripesAbove = 0 });
                Assert.Equal("blocks", engine.Layers.Single().Kernel);
                AssertClose(expected, engine.Run(images), $"batch {batch}, {options}");
            }
        }
    }

    [Fact]
    public void Create_UnstructuredMask_DoesNotRunBlocks()
    {
        var random = new Random(5);
        var conv = new Conv2dSpec(16, 16, 3, 1, 1, Bias: true);
        var graph = ModelGraph.FromNodes("conv", new ImageShape(16, 8, 8),
        [
            new GraphNode("input", new InputSpec(), [], [16, 8, 8]),
            new GraphNode("conv", conv, [0], [16, 8, 8]),
        ]);
        var weights = new Dictionary<string, WeightTensor>
        {
            ["conv.weight"] = new("conv.weight", [16, 16, 3, 3], Random(random, 16 * 16 * 9, zeros: 0.9)),
            ["conv.bias"] = new("conv.bias", [16], new float[16]),
        };
        using var engine = InferenceModel.Create(graph, weights, new InferenceOptions { StripesAbove = 0 });
        Assert.Equal("csr", engine.Layers.Single().Kernel);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void Run_Linear_EqualsTheNaiveReference(int batch)
    {
        var random = new Random(batch);
        const int inputs = 37, outputs = 19;
        var graph = ModelGraph.FromNodes("fc", new ImageShape(inputs, 1, 1),
        [
            new GraphNode("input", new InputSpec(), [], [inputs, 1, 1]),
            new GraphNode("flat", new FlattenSpec(), [0], [inputs]),
            new GraphNode("fc", new LinearSpec(inputs, outputs), [1], [outputs]),
        ]);
        var weight = Random(random, inputs * outputs, zeros: 0.8);
        var bias = Random(random, outputs, zeros: 0);
        var weights = new Dictionary<string, WeightTensor>
        {
            ["fc.weight"] = new("fc.weight", [outputs, inputs], weight),
            ["fc.bias"] = new("fc.bias", [outputs], bias),
        };
        var x = Random(random, batch * inputs, zeros: 0);
        var expected = new double[batch * outputs];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < outputs; o++)
            {
                expected[(n * outputs) + o] = bias[o] + Enumerable.Range(0, inputs).Sum(i => (double)weight[(o * inputs) + i] * x[(n * inputs) + i]);
            }
        }
        foreach (var options in Variants())
        {
            using var engine = InferenceModel.Create(graph, weights, options);
            AssertClose(expected, engine.Run(x), $"{options}");
        }
    }

    private static IEnumerable<InferenceOptions> Variants()
    {
        SimdWidth[] widths = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? [SimdWidth.Bits512, SimdWidth.Bits256, SimdWidth.Portable] : [SimdWidth.Bits256, SimdWidth.Portable];
        foreach (var width in widths)
        {
            foreach (double sparseAbove in new[] { 0.0, 2.0 })
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    // Every layer shared between the threads, however small: the pool's path is what is tested.
                    yield return new InferenceOptions { Width = width, SparseAbove = sparseAbove, Threads = threads, MinimumParallelWork = 0 };
                }
            }
        }
    }

    private static double[] NaiveConvolution(float[] x, int batch, float[] w, float[] bias, Conv2dSpec c, int side, int outSide)
    {
        int inPerGroup = c.InChannels / c.Groups, outPerGroup = c.OutChannels / c.Groups;
        var y = new double[batch * c.OutChannels * outSide * outSide];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < c.OutChannels; o++)
            {
                for (int oy = 0; oy < outSide; oy++)
                {
                    for (int ox = 0; ox < outSide; ox++)
                    {
                        double sum = bias[o];
                        for (int ci = 0; ci < inPerGroup; ci++)
                        {
                            int channel = (o / outPerGroup * inPerGroup) + ci;
                            for (int kh = 0; kh < c.Kernel; kh++)
                            {
                                for (int kw = 0; kw < c.Kernel; kw++)
                                {
                                    int iy = (oy * c.Stride) + kh - c.Padding, ix = (ox * c.Stride) + kw - c.Padding;
                                    if (iy >= 0 && iy < side && ix >= 0 && ix < side)
                                    {
                                        sum += (double)w[(((o * inPerGroup) + ci) * c.Kernel + kh) * c.Kernel + kw] * x[(((n * c.InChannels) + channel) * side + iy) * side + ix];
                                    }
                                }
                            }
                        }
                        y[(((n * c.OutChannels) + o) * outSide + oy) * outSide + ox] = sum;
                    }
                }
            }
        }
        return y;
    }

    private static float[] Random(Random random, int count, double zeros) =>
        [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() < zeros ? 0f : (float)((random.NextDouble() * 2) - 1))];

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-4, $"{what}: largest difference {worst:G3}");
    }
}
