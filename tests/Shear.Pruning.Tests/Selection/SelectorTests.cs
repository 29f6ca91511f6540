using Shear.Masks;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Selection;

/// <summary>The selection contract shared by both selectors: exact budgets, monotone masks, stable ties, NaN last.</summary>
public class SelectorTests
{
    [Theory]
    [InlineData(0.0, 137)]
    [InlineData(0.5, 68)]
    [InlineData(0.7, 41)]
    [InlineData(0.9, 14)]
    [InlineData(0.99, 1)]
    public void Global_FullMask_KeepsExactlyRoundedBudgetOfTheHighestScores(double sparsity, long expectedKept)
    {
        // 100 + 37 = 137 weights; 0.5 * 137 = 68.5 rounds to even, as Python's round does.
        using var scores = RandomScores(seed: 1, ("a", [10, 10]), ("b", [37]));
        using var full = Full(scores);

        using var mask = new GlobalSelector().Select(scores, full, sparsity);

        Assert.Equal(expectedKept, mask.Kept);
        AssertKeptOutrankPruned(scores, mask);
    }

    [Fact]
    public void Global_HugeScoresOnPrunedWeights_NeverRevivesThem()
    {
        using var scores = RandomScores(seed: 2, ("a", [4, 5]), ("b", [10]));
        using var current = Pattern(scores, i => i % 2 == 0);
        foreach (string name in scores.Names)
        {
            scores[name].masked_fill_(current[name].logical_not(), 1e30);
        }

        // The budget counts all 30 weights: keep round(0.4 * 30) = 12 of the 15 still kept.
        using var mask = new GlobalSelector().Select(scores, current, 0.6);

        Assert.True(mask.IsSubsetOf(current));
        Assert.Equal(12, mask.Kept);
        AssertKeptOutrankPruned(scores, mask, current);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.6)]
    public void Global_CurrentAlreadySparserThanTarget_ReturnsCurrentUnchanged(double sparsity)
    {
        // current keeps 7 of 20 (sparsity 0.65); the target would keep round((1 - s) * 20) = 10 or 8 > 7.
        using var scores = RandomScores(seed: 3, ("a", [2, 5]), ("b", [10]));
        using var current = Pattern(scores, i => i % 3 == 1);
        Assert.Equal(7, current.Kept);

        using var mask = new GlobalSelector().Select(scores, current, sparsity);

        foreach (string name in current.Names)
        {
            TensorAssert.BitIdentical(current[name], mask[name]);
        }
    }

    [Fact]
    public void Global_TiesAcrossLayers_GoToTheEarlierFlattenedPosition()
    {
        // Five 5s: a[1], a[2], b[0], b[1], b[3] in flattened order; keep round(3/7 * 7) = 3.
        using var scores = Scores(("a", [1, 5, 5]), ("b", [5, 5, 1, 5]));
        using var full = Full(scores);

        using var mask = new GlobalSelector().Select(scores, full, 4.0 / 7);

        Assert.Equal(new[] { false, true, true }, mask["a"].data<bool>().ToArray());
        Assert.Equal(new[] { true, false, false, false }, mask["b"].data<bool>().ToArray());
    }

    [Fact]
    public void Global_AllScoresEqual_KeepsThePrefix()
    {
        using var scores = Scores(("a", [0, 0, 0]), ("b", [0, 0, 0, 0, 0]));
        using var full = Full(scores);

        using var mask = new GlobalSelector().Select(scores, full, 0.5);

        Assert.Equal(new[] { true, true, true }, mask["a"].data<bool>().ToArray());
        Assert.Equal(new[] { true, false, false, false, false }, mask["b"].data<bool>().ToArray());
    }

    [Fact]
    public void Global_NaNScores_RankBelowEveryNumber()
    {
        // Keep 3 of 5: the three numbers (even -1e300) survive, both NaNs go.
        using var scores = Scores(("a", [double.NaN, -1e300, 2]), ("b", [double.NaN, 1]));
        using var full = Full(scores);

        using var mask = new GlobalSelector().Select(scores, full, 0.4);

        Assert.Equal(new[] { false, true, true }, mask["a"].data<bool>().ToArray());
        Assert.Equal(new[] { false, true }, mask["b"].data<bool>().ToArray());
    }

    [Fact]
    public void Layerwise_EachLayer_KeepsRoundedShareOfItsOwnSize()
    {
        // Sizes 10, 7, 25 at s = 0.6: keep 4, round(2.8) = 3, 10 — a global ranking would not.
        using var scores = RandomScores(seed: 4, ("a", [2, 5]), ("b", [7]), ("c", [5, 5]));
        scores["c"].mul_(100);
        using var full = Full(scores);

        using var mask = new LayerwiseSelector().Select(scores, full, 0.6);

        Assert.Equal([4L, 3L, 10L], mask.Names.Select(mask.KeptIn));
        foreach (string name in mask.Names)
        {
            using var single = new ScoreSet([KeyValuePair.Create(name, scores[name].clone())]);
            using var layer = new MaskSet([KeyValuePair.Create(name, mask[name].clone())]);
            AssertKeptOutrankPruned(single, layer);
        }
    }

    [Fact]
    public void Layerwise_PrunedWeightsWithHugeScores_StaySubsetOfCurrent()
    {
        using var scores = RandomScores(seed: 5, ("a", [3, 4]), ("b", [8]));
        using var current = Pattern(scores, i => i % 4 != 0);
        foreach (string name in scores.Names)
        {
            scores[name].masked_fill_(current[name].logical_not(), double.PositiveInfinity);
        }

        using var mask = new LayerwiseSelector().Select(scores, current, 0.5);

        Assert.True(mask.IsSubsetOf(current));
        Assert.Equal([6L, 4L], mask.Names.Select(mask.KeptIn));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Select_SparsityOutsideZeroToOne_ThrowsNamingTheFlag(double sparsity)
    {
        using var scores = RandomScores(seed: 6, ("a", [4]));
        using var full = Full(scores);

        foreach (IMaskSelector selector in new IMaskSelector[] { new GlobalSelector(), new LayerwiseSelector() })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => selector.Select(scores, full, sparsity).Dispose());
            Assert.Contains("--sparsity", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Select_BothSelectors_LeaveNoLiveTensorsBehind()
    {
        using var scores = RandomScores(seed: 7, ("a", [6, 6]), ("b", [9]));
        using var full = Full(scores);

        TensorLeakGuard.Run(() =>
        {
            new GlobalSelector().Select(scores, full, 0.5).Dispose();
            new LayerwiseSelector().Select(scores, full, 0.5).Dispose();
        });
    }

    // Every kept score is at least every pruned score among the weights `eligible` keeps (all when null).
    private static void AssertKeptOutrankPruned(ScoreSet scores, MaskSet mask, MaskSet? eligible = null)
    {
        using var scope = NewDisposeScope();
        var flat = cat(mask.Names.Select(n => scores[n].flatten()).ToList());
        var kept = cat(mask.Names.Select(n => mask[n].flatten()).ToList());
        var candidates = eligible is null ? ones_like(kept) : cat(eligible.Names.Select(n => eligible[n].flatten()).ToList());
        var pruned = candidates.logical_and(kept.logical_not());
        if (kept.any().item<bool>() && pruned.any().item<bool>())
        {
            double lowestKept = flat.masked_select(kept).min().item<double>();
            double highestPruned = flat.masked_select(pruned).max().item<double>();
            Assert.True(lowestKept >= highestPruned, $"kept score {lowestKept} < pruned score {highestPruned}");
        }
    }

    private static ScoreSet RandomScores(ulong seed, params (string Name, long[] Shape)[] layers)
    {
        using var generator = new Generator(seed);
        return new ScoreSet(layers
            .Select(l => KeyValuePair.Create(l.Name, rand(l.Shape, dtype: float64, generator: generator))).ToList());
    }

    private static ScoreSet Scores(params (string Name, double[] Values)[] layers) =>
        new(layers.Select(l => KeyValuePair.Create(l.Name, tensor(l.Values, dtype: float64))).ToList());

    private static MaskSet Full(ScoreSet scores) =>
        new(scores.Names.Select(n => KeyValuePair.Create(n, ones_like(scores[n], dtype: ScalarType.Bool))).ToList());

    // Keeps the flattened positions (counted across layers) where keep(i) holds.
    private static MaskSet Pattern(ScoreSet scores, Func<long, bool> keep)
    {
        long offset = 0;
        var masks = new List<KeyValuePair<string, Tensor>>();
        foreach (string name in scores.Names)
        {
            long size = scores[name].numel();
            bool[] values = [.. Enumerable.Range(0, (int)size).Select(i => keep(offset + i))];
            masks.Add(KeyValuePair.Create(name, tensor(values, scores[name].shape)));
            offset += size;
        }
        return new MaskSet(masks);
    }
}
