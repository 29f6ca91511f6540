using System.Globalization;
using Shear.Data;
using Shear.Masks;
using Shear.Pruning.Methods;
using Shear.Pruning.Selection;
using Shear.TestKit;
using Shear.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <remarks>In an assembly of its own: late in full runs of Shear.Pruning.Tests (after this session's new tests were
/// added), GraSP's scores came out far from PyTorch's now and then, never when these tests ran alone or beside any
/// one other test class. The cause is an open problem (closing note of issue 8's session); a process of their own
/// keeps these checks meaningful meanwhile.</remarks>
/// <summary>SNIP, GraSP and SynFlow scores and their 90 % global masks against PyTorch 1.13 running
/// <c>peers/pruning_scores.py</c> on LeNet-5 with the same initial weights and the same 100-image batch.</summary>
public class PeerScoresTests(PeerScoresFixture peer, ITestOutputHelper output) : IClassFixture<PeerScoresFixture>
{
    // round(0.1 * 61470): the weights every 90 % mask of the fixture keeps.
    private const long KeptAt90 = 6147;

    [Fact]
    public void Fixture_ParametersAndBatch_AreReproducedByShear()
    {
        var stateDict = peer.Model.state_dict();
        var stored = peer.Keys.Where(k => k.StartsWith("param.", StringComparison.Ordinal))
            .Select(k => k["param.".Length..]);
        Assert.Equal(stateDict.Keys.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        foreach (var (name, value) in stateDict)
        {
            TensorAssert.BitIdentical(peer[$"param.{name}"], value);
        }
        Assert.Equal(["conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight", "fc3.weight"],
            peer.Parameters.Select(p => p.Name));
        Assert.Equal(61470, peer.Parameters.Sum(p => p.Count));

        using var scope = NewDisposeScope();
        var (input, labels) = peer.Source.Sequential(100).Select(BatchSource.Keep).Single();
        double deviation = (input - peer["input"]).abs().max().item<float>();
        output.WriteLine($"normalised batch: max |shear - fixture| = {deviation:G3}");
        TensorAssert.AllClose(peer["input"], input, 1e-6);
        TensorAssert.BitIdentical(peer["labels"], labels);
        Assert.Equal(Enumerable.Repeat(10L, 10), labels.bincount(null).data<long>().ToArray());
    }

    [Fact]
    public void Snip_FixtureBatch_MatchesPyTorchScores()
    {
        using var full = MaskSet.Full(peer.Parameters);
        using var scores = new SnipImportance(batchSize: 100).Score(peer.Context, full);

        // float32 on both sides; only the order of the batch (a permutation, so a different summation order) differs.
        AssertMatches("snip", scores, peer.PerWeight("snip"), negate: false, elementTolerance: 1e-4, sumTolerance: 1e-4);
    }

    [Fact]
    public void Grasp_FixtureBatch_MatchesNegatedPyTorchS()
    {
        using var full = MaskSet.Full(peer.Parameters);
        using var scores = new GraspImportance(samplesPerClass: 10, temperature: 200).Score(peer.Context, full);

        // Shear returns -S (higher = keep); the fixture holds the paper's S in float64, Shear computes in float32.
        // Measured: max|d| / layer max <= 7e-7 for conv1, fc1, fc2, fc3 but 4.6e-3 for conv2, whose Hessian-gradient
        // product is dominated by float32 round-off (the same code run in float64 agrees with the fixture to 4e-15);
        // the layer sums agree to 3.5e-4.
        AssertMatches("grasp", scores, peer.PerWeight("grasp"), negate: true, elementTolerance: 1e-2, sumTolerance: 1e-3);
    }

    [Fact]
    public void SynFlow_FirstRound_MatchesPyTorchToFloat64Precision()
    {
        using var full = MaskSet.Full(peer.Parameters);
        using var scores = new SynFlowImportance().Score(peer.Context, full);

        double worst = 0;
        foreach (var (name, expected) in peer.PerWeight("synflow"))
        {
            using var scope = NewDisposeScope();
            Assert.Equal(ScalarType.Float64, scores[name].dtype);
            var difference = (scores[name] - expected).abs();
            Assert.Equal(0, difference.masked_select(expected.eq(0)).count_nonzero().item<long>());
            double relative = (difference / expected.abs()).masked_select(expected.ne(0)).max().item<double>();
            output.WriteLine($"synflow {name}: max relative deviation {relative:G3}");
            worst = Math.Max(worst, relative);
        }
        Assert.True(worst <= 1e-6, $"synflow: worst relative deviation {worst:G3}");
    }

    [Fact]
    public void SnipMask90_GlobalSelector_EqualsPyTorchMask()
    {
        using var full = MaskSet.Full(peer.Parameters);
        using var scores = new SnipImportance(batchSize: 100).Score(peer.Context, full);
        using var mask = new GlobalSelector().Select(scores, full, 0.9);

        Assert.Equal(KeptAt90, mask.Kept);
        Assert.Equal(0, CountDifferences("snip_mask90", mask));
    }

    [Fact]
    public void GraspMask90_GlobalSelector_MatchesPyTorchMaskUpToCutNoise()
    {
        using var full = MaskSet.Full(peer.Parameters);
        using var scores = new GraspImportance(samplesPerClass: 10, temperature: 200).Score(peer.Context, full);
        using var mask = new GlobalSelector().Select(scores, full, 0.9);

        // float32 scores move near-ties at the cut: measured 2 of 61,470 entries (one swap in conv2, one in fc2).
        Assert.Equal(KeptAt90, mask.Kept);
        Assert.InRange(CountDifferences("grasp_mask90", mask), 0, 4);
    }

    [Fact]
    public void SynFlowMethod_HundredGeometricRounds_EqualsPyTorchIterativeMask()
    {
        var request = new PruningRequest { Sparsity = 0.9, Method = new MethodOptions { SynFlowIterations = 100 } };
        var runner = new ScoringOnlyRunner(peer.Context, request);

        var outcome = PruningMethods.Get("synflow").Create(request).Run(runner);
        using var mask = Assert.IsType<MaskSet>(outcome.Masks);

        Assert.Equal(peer["synflow_mask90_kept"].item<long>(), mask.Kept);
        Assert.Equal(KeptAt90, mask.Kept);
        Assert.Equal(0, CountDifferences("synflow_mask90", mask));
        Assert.Same(mask, runner.TrainedWith);
    }

    private long CountDifferences(string prefix, MaskSet actual)
    {
        long differences = 0;
        foreach (var (name, expected) in peer.PerWeight(prefix))
        {
            using var scope = NewDisposeScope();
            long layer = expected.to(ScalarType.Bool).ne(actual[name]).count_nonzero().item<long>();
            output.WriteLine($"{prefix} {name}: kept {actual.KeptIn(name)}, {layer} entries differ from PyTorch");
            differences += layer;
        }
        return differences;
    }

    // Per layer: |sum(actual) - sum(expected)| <= sumTolerance * |sum(expected)| and, element by element,
    // |actual - expected| <= elementTolerance * max|expected| (scores near 0 carry only absolute meaning).
    private void AssertMatches(string label, ScoreSet actual, IReadOnlyList<(string Name, Tensor Value)> expected,
        bool negate, double elementTolerance, double sumTolerance)
    {
        var problems = new List<string>();
        foreach (var (name, reference) in expected)
        {
            using var scope = NewDisposeScope();
            var wanted = (negate ? -reference : reference).to(float64);
            var got = actual[name].to(float64);
            Assert.Equal(wanted.shape, got.shape);
            double scale = wanted.abs().max().item<double>();
            double maxAbs = (got - wanted).abs().max().item<double>();
            double expectedSum = wanted.sum().item<double>();
            double sumRelative = Math.Abs(got.sum().item<double>() - expectedSum) / Math.Abs(expectedSum);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label} {name}: max|d| {maxAbs:G3}, layer max {scale:G3}, max|d|/max {maxAbs / scale:G3}, "
                + $"sum rel {sumRelative:G3}"));
            if (maxAbs > elementTolerance * scale)
            {
                problems.Add($"{name}: max|d|/max = {maxAbs / scale:G3}");
            }
            if (sumRelative > sumTolerance)
            {
                problems.Add($"{name}: relative sum deviation {sumRelative:G3}");
            }
        }
        Assert.True(problems.Count == 0, $"{label} differs from PyTorch: {string.Join("; ", problems)}");
    }

    /// <summary>Hosts a method for scoring only: masks are computed directly, training is recorded, not run.</summary>
    private sealed class ScoringOnlyRunner(PruningContext context, PruningRequest request) : IPruningRunner
    {
        public PruningContext Context => context;

        public PruningRequest Request => request;

        public bool StartsFromTrained => false;

        public MaskSet? TrainedWith { get; private set; }

        public PhaseRecord TrainDense(IReadOnlyList<ITrainingHook>? hooks = null) => new("dense", 0, 0, []);

        public PhaseRecord Train(string phase, int epochs, MaskSet? masks, IReadOnlyList<ITrainingHook>? hooks = null,
            bool fineTune = false)
        {
            TrainedWith = masks;
            return new PhaseRecord(phase, 0, masks?.Sparsity ?? 0, []);
        }

        public MaskSet Prune(string step, Func<MaskSet> compute) => compute();

        public Structure.ChannelPlan Plan(string step, Structure.ChannelGraph channels, Func<Structure.ChannelPlan> compute) =>
            throw new NotSupportedException(step);

        public PruningContext Compact(Structure.ChannelPlan plan) => throw new NotSupportedException("compact");

        public void SaveWeights(string name) => throw new NotSupportedException(name);

        public bool HasWeights(string name) => false;

        public void LoadWeights(string name) => throw new NotSupportedException(name);
    }
}
