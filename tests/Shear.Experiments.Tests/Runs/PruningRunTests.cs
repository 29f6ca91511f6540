using System.Text.Json;
using Shear.Data;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Pruning.Selection;
using Shear.TestKit;
using Shear.Training;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Experiments.Runs;

public class PruningRunTests
{
    private static readonly ImageShape _shape = new(1, 8, 8);

    private static readonly PruningRequest _request = new()
    {
        Sparsity = 0.5,
        Training = new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 0.05, Seed = 4 },
        FinetuneEpochs = 1,
        // Channel counts as selected: these tests pin selection; alignment (--channel-multiple) has its own.
        Method = new MethodOptions { LthRounds = 2, SynFlowIterations = 5, GmpFrequency = 3, ChannelMultiple = 1 },
    };

    private static ModelCard Card(DataSplit data) => new("mlp", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Widths = [24, 12] });

    // slimming needs BN layers and cdp-dtc k x k convolutions, which the MLP has not: StructuredRunTests and
    // StripeRunTests run them on CNNs.
    public static TheoryData<string> Methods() => [.. PruningMethods.All.Select(m => m.Key).Where(k => k is not ("slimming" or "cdp-dtc"))];

    [Theory]
    [MemberData(nameof(Methods))]
    public void Execute_EveryMethod_ReachesTheSparsityAndWritesItsFiles(string key)
    {
        using var data = SyntheticData.Split(train: 128, test: 32, shape: _shape);
        using var folder = new TempDirectory();

        var result = new PruningRun(folder.Path, Card(data), data, _request, PruningMethods.Get(key)).Execute(resume: false);

        if (result.Compaction is { } compaction)
        {
            // Structured: half of each group's channels removed physically; the saved model is the smaller one.
            Assert.Equal([(24, 12), (12, 6)], compaction.Groups.Select(g => (g.Channels, g.Kept)));
            Assert.Equal(result.Sparsity.Parameters, compaction.ParametersAfter);
            Assert.Equal(((64 * 12) + 12) + ((12 * 6) + 6) + ((6 * 4) + 4), compaction.ParametersAfter);
            var (_, saved) = ModelCard.Load(folder.Path, CPU);
            saved.Dispose();
            return;
        }
        long counted = result.Sparsity.CountedWeights;
        double expected = 0.5;
        if (PruningMethods.Get(key).ChoosesSparsity)
        {
            // dpp's target is its own decisions: the weights it kept for sure or by draw, out of those it saw
            // (one round, so every weight), counted independently of the saved model the report measures.
            var layers = Assert.Single(Assert.IsType<DppDetails>(result.Details).Rounds).Layers;
            Assert.Equal(counted, layers.Sum(l => l.Active));
            expected = 1.0 - ((double)layers.Sum(l => l.KeptSure + l.DrawnKept) / counted);
        }
        Assert.Equal(Math.Round((1 - expected) * counted), result.Sparsity.CountedNonZeros, tolerance: 0);
        Assert.True(expected is > 0.2 and < 0.99, $"{key}: sparsity {expected}");
        Assert.Equal(key, result.Method);
        Assert.True(result.Test.Top1 is >= 0 and <= 1);
        Assert.Equal(key switch { "lth" => 6, "pmp" => 2, _ => 3 }, result.TotalEpochs);
        foreach (string file in new[] { "model.json", "model.bin", "masks.bin", "result.json" })
        {
            Assert.True(File.Exists(folder.File(file)), file);
        }
        using var document = JsonDocument.Parse(File.ReadAllText(folder.File("result.json")));
        Assert.Equal(key, document.RootElement.GetProperty("method").GetString());
        using var masks = MaskFile.Load(folder.File("masks.bin"), CPU);
        Assert.Equal(expected, masks.Sparsity, 3);
        Assert.Equal(key is "dpp" or "pmp" or "screening", File.Exists(folder.File(PruningRun.DetailsFile)));
    }

    [Fact]
    public void Execute_Lth_RoundsAreMonotoneAndEndAtTheTarget()
    {
        using var data = SyntheticData.Split(train: 128, test: 32, shape: _shape);
        using var folder = new TempDirectory();
        var request = _request with { Sparsity = 0.75, Method = _request.Method with { LthRounds = 3 } };

        var result = new PruningRun(folder.Path, Card(data), data, request, PruningMethods.Get("lth")).Execute(resume: false);

        Assert.Equal([1, 2, 3], result.Rounds.Select(r => r.Round));
        Assert.True(result.Rounds[0].Sparsity < result.Rounds[1].Sparsity && result.Rounds[1].Sparsity < result.Rounds[2].Sparsity);
        Assert.Equal(0.75, result.Rounds[^1].Sparsity, 3);
        for (int r = 1; r < 3; r++)
        {
            using var earlier = MaskFile.Load(folder.File($"masks/round-{r}.bin"), CPU);
            using var later = MaskFile.Load(folder.File($"masks/round-{r + 1}.bin"), CPU);
            Assert.True(later.IsSubsetOf(earlier), $"round {r + 1} revived weights of round {r}");
        }
    }

    [Theory]
    [InlineData("magnitude", "finetune")]
    [InlineData("lth", "round-1")]
    [InlineData("gmp", "train")]
    public void Execute_KilledMidPhaseThenResumed_EndsWithTheUninterruptedWeights(string key, string phase)
    {
        using var data = SyntheticData.Split(train: 128, test: 32, shape: _shape);
        using var whole = new TempDirectory();
        using var killed = new TempDirectory();
        var request = _request with { FinetuneEpochs = 2 };
        var method = PruningMethods.Get(key);
        var reference = new PruningRun(whole.Path, Card(data), data, request, method).Execute(resume: false);

        var killer = new KillAfterFirstEpochOf(phase);
        Assert.Throws<OperationCanceledException>(() =>
            new PruningRun(killed.Path, Card(data), data, request, method) { Observer = killer, OnStep = killer.Step }.Execute(resume: false));
        var resumed = new PruningRun(killed.Path, Card(data), data, request, method).Execute(resume: true);

        Assert.Equal(reference.Test.Top1, resumed.Test.Top1);
        Assert.Equal(reference.Sparsity.CountedNonZeros, resumed.Sparsity.CountedNonZeros);
        var (_, a) = ModelCard.Load(whole.Path, CPU);
        var (_, b) = ModelCard.Load(killed.Path, CPU);
        using (a)
        using (b)
        {
            var theirs = b.state_dict();
            foreach (var (name, tensor) in a.state_dict())
            {
                TensorAssert.BitIdentical(tensor, theirs[name]);
            }
        }
    }

    [Fact]
    public void Execute_LayerCollapseWithFailPolicy_StopsNamingTheLayer()
    {
        using var data = SyntheticData.Split(train: 64, test: 16, shape: _shape);
        using var folder = new TempDirectory();
        // fc3 has 12 x 4 = 48 weights; layer-wise 99 % keeps round(0.48) = 0 of them.
        var request = _request with { Sparsity = 0.99, Selection = SelectionKind.Layerwise, OnCollapse = CollapsePolicy.Fail };

        var error = Assert.Throws<InvalidOperationException>(() =>
            new PruningRun(folder.Path, Card(data), data, request, PruningMethods.Get("snip")).Execute(resume: false));

        // Named by layer, as result.json's per-layer sparsity and SparsityReport.Collapsed name it.
        Assert.Contains("layer collapse, no weights left in fc3 (--on-collapse fail)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_LayerCollapseWithWarnPolicy_RecordsAWarning()
    {
        using var data = SyntheticData.Split(train: 64, test: 16, shape: _shape);
        using var folder = new TempDirectory();
        var request = _request with { Sparsity = 0.99, Selection = SelectionKind.Layerwise };

        var result = new PruningRun(folder.Path, Card(data), data, request, PruningMethods.Get("snip")).Execute(resume: false);

        Assert.Contains(result.Warnings, w => w.EndsWith("no weights left in fc3", StringComparison.Ordinal));
        Assert.Contains("fc3", result.Sparsity.Collapsed);
    }

    [Fact]
    public void Execute_AtInitialisationMethodFromTrainedModel_IsRefusedNamingFrom()
    {
        using var data = SyntheticData.Split(train: 64, test: 16, shape: _shape);
        using var trained = new TempDirectory();
        using var folder = new TempDirectory();
        new TrainingRun(trained.Path, Card(data), data, _request.Training with { Epochs = 1 }).Execute(resume: false);

        var error = Assert.Throws<ArgumentException>(() =>
            new PruningRun(folder.Path, Card(data), data, _request, PruningMethods.Get("grasp")) { From = trained.Path }.Execute(resume: false));

        Assert.StartsWith("--from: 'grasp' prunes at initialisation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_MagnitudeFromTrainedModel_SkipsDenseTrainingAndKeepsItsAccuracyAsBaseline()
    {
        using var data = SyntheticData.Split(train: 64, test: 16, shape: _shape);
        using var trained = new TempDirectory();
        using var folder = new TempDirectory();
        var dense = new TrainingRun(trained.Path, Card(data), data, _request.Training).Execute(resume: false);

        var result = new PruningRun(folder.Path, Card(data), data, _request, PruningMethods.Get("magnitude")) { From = trained.Path }.Execute(resume: false);

        Assert.Equal(dense.Final.TestAccuracy, result.DenseTest!.Top1);
        Assert.Equal(1, result.TotalEpochs);
    }

    [Fact]
    public void Constructor_SparsityOutOfRange_ErrorNamesTheFlag()
    {
        using var data = SyntheticData.Split(train: 64, test: 16, shape: _shape);

        var error = Assert.Throws<ArgumentException>(() => new PruningRun("unused", Card(data), data, _request with { Sparsity = 1.0 }, PruningMethods.Get("magnitude")));

        Assert.Contains("--sparsity must be in [0, 1), got 1", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Simulates a kill right after the first checkpoint of <paramref name="phase"/>.</summary>
    private sealed class KillAfterFirstEpochOf(string phase) : ITrainingObserver
    {
        private string _current = "";

        public void Step(string step) => _current = step;

        public void OnEpochEnd(EpochRecord record)
        {
            if (_current == phase)
            {
                throw new OperationCanceledException($"killed in {phase}");
            }
        }
    }
}
