using Shear.Data;
using Shear.Graphs;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.ExtremeValue;
using Shear.Runtime;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Methods;

/// <summary>dpp's decisions: each layer's sparsity follows from its fit, deterministic mode is reproducible,
/// stochastic draws are reproducible for a seed and differ across seeds, and masks only shrink over rounds.</summary>
public sealed class DeterministicProbabilisticTests : IDisposable
{
    private readonly DataSplit _data = SyntheticData.Split(train: 64, test: 16, shape: new ImageShape(1, 8, 8));

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Decide_Deterministic_KeepsExactlyTheWeightsAtOrAboveTheThresholdProbability()
    {
        var options = new MethodOptions { DppDecision = RetentionDecision.Deterministic, DppM = 4 };
        using var model = Model(seed: 1);
        var context = Context(model, seed: 1);
        using var full = MaskSet.Full(context.Parameters);

        var (masks, record) = new DeterministicProbabilistic(new PruningRequest { Method = options }).Decide(context, full, 1);

        foreach (var parameter in context.Parameters)
        {
            double[] magnitudes = parameter.Weight.detach().abs().to(float64).flatten().data<double>().ToArray();
            var fit = RetentionModel.Fit(DeterministicProbabilistic.Settings(options), magnitudes);
            bool[] expected = [.. magnitudes.Select(a => fit.Probability(a) >= 0.5)];
            Assert.Equal(expected, masks[parameter.Name].flatten().data<bool>().ToArray());
        }
        Assert.All(record.Layers, l => Assert.Equal(0, l.Drawn));
        masks.Dispose();
    }

    [Fact]
    public void Decide_Deterministic_IgnoresTheSeed()
    {
        var request = new PruningRequest { Method = new MethodOptions { DppDecision = RetentionDecision.Deterministic } };

        using var a = DecideOnce(request, modelSeed: 3, runSeed: 1);
        using var b = DecideOnce(request, modelSeed: 3, runSeed: 2);

        Assert.True(Same(a, b));
    }

    [Theory]
    [InlineData(RetentionDecision.Stochastic)]
    [InlineData(RetentionDecision.Hybrid)]
    public void Decide_WithDraws_IsReproducibleForASeedAndDiffersAcrossSeeds(RetentionDecision decision)
    {
        var request = new PruningRequest { Method = new MethodOptions { DppDecision = decision } };

        using var first = DecideOnce(request, modelSeed: 3, runSeed: 7);
        using var again = DecideOnce(request, modelSeed: 3, runSeed: 7);
        using var other = DecideOnce(request, modelSeed: 3, runSeed: 8);

        Assert.True(Same(first, again));
        Assert.False(Same(first, other));
    }

    [Fact]
    public void Decide_Hybrid_DrawsOnlyInTheMiddleBandAndRecordsEveryWeight()
    {
        using var model = Model(seed: 4);
        var context = Context(model, seed: 4);
        using var full = MaskSet.Full(context.Parameters);

        var (masks, record) = new DeterministicProbabilistic(new PruningRequest()).Decide(context, full, 1);

        foreach (var layer in record.Layers)
        {
            // Records name the layer (fc1), masks the parameter (fc1.weight).
            var parameter = context.Parameters.Single(p => p.Layer.Name == layer.Layer);
            long size = parameter.Count;
            Assert.Equal(size, layer.KeptSure + layer.PrunedSure + layer.Drawn);
            Assert.Equal(1.0 - ((double)(layer.KeptSure + layer.DrawnKept) / size), layer.Sparsity, 12);
            Assert.Equal(layer.Sparsity, 1.0 - ((double)masks.KeptIn(parameter.Name) / size), 12);
            Assert.True(layer.Drawn > 0 && layer.KeptSure > 0 && layer.PrunedSure > 0, layer.ToString());
        }
        Assert.Equal(record.Sparsity, masks.Sparsity, 12);
        masks.Dispose();
    }

    [Fact]
    public void Decide_SecondRound_FitsTheSurvivorsAndNeverRevivesAWeight()
    {
        using var model = Model(seed: 5);
        var context = Context(model, seed: 5);
        var method = new DeterministicProbabilistic(new PruningRequest());
        using var full = MaskSet.Full(context.Parameters);

        var (round1, _) = method.Decide(context, full, 1);
        var (round2, record) = method.Decide(context, round1, 2);

        Assert.True(round2.IsSubsetOf(round1));
        Assert.True(round2.Sparsity > round1.Sparsity);
        Assert.All(record.Layers, l => Assert.Equal(round1.KeptIn(context.Parameters.Single(p => p.Layer.Name == l.Layer).Name), l.Active));
        round1.Dispose();
        round2.Dispose();
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(8.0)]
    public void Decide_LargerM_PrunesMore(double m)
    {
        using var low = DecideOnce(new PruningRequest { Method = new MethodOptions { DppM = m } }, modelSeed: 6, runSeed: 1);
        using var high = DecideOnce(new PruningRequest { Method = new MethodOptions { DppM = m * 2 } }, modelSeed: 6, runSeed: 1);

        Assert.True(high.Sparsity > low.Sparsity, $"m {m}: {low.Sparsity}, m {m * 2}: {high.Sparsity}");
    }

    private MaskSet DecideOnce(PruningRequest request, long modelSeed, long runSeed)
    {
        using var model = Model(modelSeed);
        var context = Context(model, runSeed);
        using var full = MaskSet.Full(context.Parameters);
        return new DeterministicProbabilistic(request).Decide(context, full, 1).Masks;
    }

    private GraphModule Model(long seed) =>
        new ModelCard("mlp", _data.Train.Shape, _data.Train.ClassCount, new ModelOptions { Widths = [48, 24] }).Create(seed, CPU);

    private PruningContext Context(GraphModule model, long seed) =>
        new(model, PrunableScope.Default.Resolve(model), new BatchSource(_data.Train, Normalization.Of(_data.Train), CPU), new RandomSource(seed))
        {
            TrainingLabels = _data.Train.Labels,
            Classes = _data.Train.ClassCount,
        };

    private static bool Same(MaskSet a, MaskSet b) => a.Names.All(n => a[n].eq(b[n]).all().item<bool>());
}
