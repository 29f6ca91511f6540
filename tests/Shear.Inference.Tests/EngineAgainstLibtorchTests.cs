using Shear.Data;
using Shear.Inference.Kernels;
using Shear.Masks;
using Shear.Models;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Inference;

/// <summary>The engine computes what libtorch computes: every zoo family, dense and with 90 % of its conv and linear
/// weights masked, loaded from a saved run folder (card, weights, masks) and run at batch 1 and an odd batch.</summary>
public class EngineAgainstLibtorchTests
{
    public static TheoryData<string, int, int, double> Models() => ZooFamilies.Theory();

    [Theory]
    [MemberData(nameof(Models))]
    public void Run_SavedZooModel_EqualsLibtorchDenseAndAt90PercentSparsity(string key, int channels, int side, double width)
    {
        using var folder = new TempDirectory();
        var card = new ModelCard(key, new ImageShape(channels, side, side), 10, new ModelOptions { Width = width });
        using var model = card.Create(3, CPU);
        ZooFamilies.RandomiseNormStatistics(model);
        model.eval();
        card.Save(folder.Path, model);
        using var images = randn(7, channels, side, side, generator: new Generator(5));
        float[] input = images.data<float>().ToArray();

        // Dense: every layer runs the dense kernel, but grouped (depthwise) convolutions, which always run as CSR rows
        // over all input channels.
        var dense = InferenceModel.Load(folder.Path, new InferenceOptions { Threads = 1 });
        var grouped = model.Graph.Nodes.Where(n => n.Layer is Shear.Graphs.Conv2dSpec { Groups: > 1 }).Select(n => n.Name).ToHashSet();
        Assert.All(dense.Layers, l => Assert.True(l.Sparse == grouped.Contains(l.Name), l.Name));
        AssertLogitsEqual(model, images, dense.Run(input));

        // 90 % masked: masks.bin beside the weights, the sparse kernel on every conv and linear layer.
        using var masks = RandomMasks(model, 0.9);
        MaskFile.Save(folder.File("masks.bin"), masks);
        using (var applier = new MaskApplier(new PrunableScope().Resolve(model), masks))
        {
            applier.ApplyToWeights();
        }
        using var sparse = InferenceModel.Load(folder.Path, new InferenceOptions { Threads = 2, MinimumParallelWork = 0 });
        Assert.All(sparse.Layers, l => Assert.True(l.Sparse && l.Sparsity > 0.8, $"{l.Name}: {l.Sparsity:P1}"));
        AssertLogitsEqual(model, images, sparse.Run(input));
        // The batch above ran its early layers image by image; the whole-batch path computes the same.
        using var whole = InferenceModel.Load(folder.Path, new InferenceOptions { Threads = 2, MinimumParallelWork = 0, ImageByImage = false });
        AssertLogitsEqual(model, images, whole.Run(input));
        using var one = images[..1];
        AssertLogitsEqual(model, one, sparse.Run(one.data<float>().ToArray()));
    }

    [Theory]
    [InlineData(SimdWidth.Bits512)]
    [InlineData(SimdWidth.Bits256)]
    [InlineData(SimdWidth.Portable)]
    public void Run_EachRegisterWidth_EqualsLibtorch(SimdWidth width)
    {
        if (width == SimdWidth.Bits512 && !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            return;
        }
        using var folder = new TempDirectory();
        var card = new ModelCard("resnet20", new ImageShape(3, 16, 16), 10, new ModelOptions { Width = 0.5 });
        using var model = card.Create(4, CPU);
        ZooFamilies.RandomiseNormStatistics(model);
        model.eval();
        card.Save(folder.Path, model);
        using var images = randn(3, 3, 16, 16, generator: new Generator(6));

        foreach (double sparseAbove in new[] { 0.0, 2.0 })
        {
            var engine = InferenceModel.Load(folder.Path, new InferenceOptions { Threads = 1, Width = width, SparseAbove = sparseAbove });
            AssertLogitsEqual(model, images, engine.Run(images.data<float>().ToArray()));
        }
    }

    /// <summary>Masks of whole stripes (as cdp-dtc leaves its 3x3 filters: a few taps kept across every input
    /// channel) run the block kernel on every 3x3 layer and still equal libtorch, at batch 7 and 1.</summary>
    [Theory]
    [InlineData("resnet20", 0.5)]
    [InlineData("vgg11", 0.25)]
    public void Run_StripeMaskedModel_RunsBlocksAndEqualsLibtorch(string key, double width)
    {
        using var folder = new TempDirectory();
        var card = new ModelCard(key, new ImageShape(1, 28, 28), 10, new ModelOptions { Width = width });
        using var model = card.Create(8, CPU);
        ZooFamilies.RandomiseNormStatistics(model);
        model.eval();
        card.Save(folder.Path, model);
        var generator = new Generator(12);
        using var masks = new MaskSet(new PrunableScope().Resolve(model).Select(p => KeyValuePair.Create(p.Name, p.Weight.shape.Length == 4 && p.Weight.shape[2] == 3
            ? (rand([p.Weight.shape[0], 1, 3, 3], generator: generator) >= 0.8).expand(p.Weight.shape).contiguous()
            : ones_like(p.Weight, dtype: ScalarType.Bool))));
        MaskFile.Save(folder.File("masks.bin"), masks);
        using (var applier = new MaskApplier(new PrunableScope().Resolve(model), masks))
        {
            applier.ApplyToWeights();
        }
        using var images = randn(7, 1, 28, 28, generator: new Generator(13));
        using var engine = InferenceModel.Load(folder.Path, new InferenceOptions { Threads = 2, MinimumParallelWork = 0 });
        Assert.Contains(engine.Layers, l => l.Kernel == "blocks");
        Assert.All(engine.Layers.Where(l => l.Sparsity > 0.5), l => Assert.Equal("blocks", l.Kernel));
        AssertLogitsEqual(model, images, engine.Run(images.data<float>().ToArray()));
        using var one = images[..1];
        AssertLogitsEqual(model, one, engine.Run(one.data<float>().ToArray()));
    }

    /// <summary>The operators of mobile CNNs and their ONNX imports that no zoo family uses (see
    /// <see cref="OperatorGraphs.MobileOperators"/>).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_MobileOperators_EqualLibtorch(bool log)
    {
        var graph = OperatorGraphs.MobileOperators(log);
        using var folder = new TempDirectory();
        var card = new ModelCard("ops", new ImageShape(3, 9, 9), 5, new ModelOptions()) { Description = graph.Describe() };
        using var model = new Shear.Graphs.GraphModule(graph);
        model.eval();
        card.Save(folder.Path, model);
        using var images = randn(7, 3, 9, 9, generator: new Generator(2));

        using var engine = InferenceModel.Load(folder.Path, new InferenceOptions { Threads = 2, MinimumParallelWork = 0 });

        AssertLogitsEqual(model, images, engine.Run(images.data<float>().ToArray()));
        using var one = images[..1];
        AssertLogitsEqual(model, one, engine.Run(one.data<float>().ToArray()));
    }

    private static MaskSet RandomMasks(Shear.Graphs.GraphModule model, double sparsity)
    {
        var generator = new Generator(11);
        return new MaskSet(new PrunableScope().Resolve(model).Select(p => KeyValuePair.Create(p.Name, rand(p.Weight.shape, generator: generator) >= sparsity)));
    }

    private static void AssertLogitsEqual(Shear.Graphs.GraphModule model, Tensor images, float[] actual)
    {
        using var noGrad = no_grad();
        using var expected = model.call(images);
        float[] reference = expected.data<float>().ToArray();
        Assert.Equal(reference.Length, actual.Length);
        double scale = Math.Max(1, reference.Max(Math.Abs));
        double worst = reference.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4 * scale, $"largest difference {worst:G3} (logits up to {scale:G3})");
    }
}
