using Shear.Data;
using Shear.Graphs;
using Shear.Masks;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Metrics;

// Every figure below is counted by hand for one tiny model:
//   conv1  1 -> 2 channels, 3x3, padding 1 on 4x4: 18 weights + 2 biases; 2*4*4 outputs * 1*3*3 = 288 MACs, 16 per weight
//   bn1    2 channels: 4 parameters, 0 MACs (running statistics are buffers: 2 + 2 + num_batches_tracked)
//   fc     32 -> 3: 96 weights + 3 biases; 96 MACs, 1 per weight
// Every parameter is set to 1, then conv1 loses 5 weights and 1 bias, fc loses 40 weights.
public class SparsityReportTests
{
    private static GraphModule Tiny(int fcZeros = 40)
    {
        var g = new GraphBuilder("tiny", new ImageShape(1, 4, 4));
        var x = g.Relu(g.BatchNorm(g.Conv(g.Input, "conv1", 2, kernel: 3, padding: 1), "bn1"));
        var model = new GraphModule(g.Build(g.Linear(g.Flatten(x), "fc", 3)));
        using var noGrad = no_grad();
        foreach (var p in model.parameters())
        {
            p.fill_(1);
        }
        model.Layer("conv1").get_parameter("weight")!.view(-1)[TensorIndex.Slice(0, 5)].fill_(0);
        model.Layer("conv1").get_parameter("bias")![0].fill_(0);
        model.Layer("fc").get_parameter("weight")!.view(-1)[TensorIndex.Slice(0, fcZeros)].fill_(0);
        return model;
    }

    [Fact]
    public void Measure_TinyModel_CountsWeightsParametersAndMacsByHand()
    {
        using var model = Tiny();

        var report = SparsityReport.Measure(model, PrunableScope.Default);

        Assert.Equal(["conv1", "fc"], report.Layers.Select(l => l.Name));
        Assert.Equal((18L, 13L, 288L, 13L * 16), (report.Layers[0].Weights, report.Layers[0].NonZeros, report.Layers[0].MacsExecuted, report.Layers[0].MacsEffective));
        Assert.Equal((96L, 56L, 96L, 56L), (report.Layers[1].Weights, report.Layers[1].NonZeros, report.Layers[1].MacsExecuted, report.Layers[1].MacsEffective));
        Assert.Equal(5.0 / 18, report.Layers[0].Sparsity, 12);
        Assert.Equal((114L, 69L), (report.CountedWeights, report.CountedNonZeros));
        Assert.Equal(45.0 / 114, report.Sparsity, 12);
        // 18 + 2 + 4 + 96 + 3 parameters, of which the 5 + 1 + 40 zeroed ones are not non-zero.
        Assert.Equal((123L, 77L), (report.Parameters, report.NonZeroParameters));
        Assert.Equal((288L + 96, 208L + 56), (report.MacsExecuted, report.MacsEffective));
        Assert.Equal(384.0 / 264, report.MacReduction, 12);
        // float32 parameters and buffers: 123 + running mean, running variance (2 + 2) and num_batches_tracked.
        Assert.Equal(4L * (123 + 5), report.DenseBytes);
        Assert.Empty(report.Collapsed);
    }

    [Fact]
    public void Measure_ConvScope_CountsOnlyConvWeightsButEveryLayersMacs()
    {
        using var model = Tiny();

        var report = SparsityReport.Measure(model, new PrunableScope { Kinds = PrunableKinds.Conv });

        Assert.Equal([true, false], report.Layers.Select(l => l.Counted));
        Assert.Equal((18L, 13L), (report.CountedWeights, report.CountedNonZeros));
        Assert.Equal(5.0 / 18, report.Sparsity, 12);
        Assert.Equal((384L, 264L), (report.MacsExecuted, report.MacsEffective));
    }

    [Fact]
    public void Collapsed_LayerWithNoWeightLeft_IsNamedByLayerOnlyWhenCounted()
    {
        using var model = Tiny(fcZeros: 96);

        Assert.Equal(["fc"], SparsityReport.Measure(model, PrunableScope.Default).Collapsed);
        Assert.Empty(SparsityReport.Measure(model, new PrunableScope { Kinds = PrunableKinds.Conv }).Collapsed);
        Assert.Equal(208L, SparsityReport.Measure(model, PrunableScope.Default).MacsEffective);
    }

    [Fact]
    public void SparsityOfAndMaskSparsity_AgreeWithMeasure()
    {
        using var model = Tiny();
        var parameters = PrunableScope.Default.Resolve(model);
        using var masks = new MaskSet(parameters.Select(p => KeyValuePair.Create(p.Name, p.Weight.ne(0))));

        double measured = SparsityReport.Measure(model, PrunableScope.Default).Sparsity;

        Assert.Equal(45.0 / 114, measured, 12);
        Assert.Equal(measured, SparsityReport.SparsityOf(model, PrunableScope.Default));
        Assert.Equal(measured, masks.Sparsity);
    }

    [Fact]
    public void Fraction_NothingToCount_IsZero()
    {
        Assert.Equal(0, SparsityReport.Fraction(0, 0));
        Assert.Equal(0.25, SparsityReport.Fraction(3, 4));
    }
}
