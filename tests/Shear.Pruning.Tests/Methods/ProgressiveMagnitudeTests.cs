using Shear.Data;
using Shear.Graphs;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Schedules;
using Shear.Pruning.Selection;
using Shear.Runtime;
using Shear.TestKit;
using Shear.Training;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Methods;

/// <summary>Progressive magnitude pruning: the authors' linear schedule, exact per-epoch targets, monotone masks
/// without regrowth, and regrowth only when allowed.</summary>
public class ProgressiveMagnitudeTests
{
    private const int Samples = 192;
    private const int Batch = 32;
    private const int StepsPerEpoch = Samples / Batch;

    [Fact]
    public void Schedule_Defaults_AreTheAuthorsRampReachingTheTargetAtTheLastEpoch()
    {
        var schedule = ProgressiveMagnitude.Schedule(Request(0.9, epochs: 10), StepsPerEpoch, 10);

        for (int epoch = 0; epoch < 10; epoch++)
        {
            Assert.True(schedule.IsPruningStep(epoch * StepsPerEpoch));
            Assert.Equal(0.9 * (epoch + 1) / 10, schedule.SparsityAt(epoch * StepsPerEpoch), 12);
            Assert.False(schedule.IsPruningStep((epoch * StepsPerEpoch) + 1));
        }
        Assert.False(schedule.IsPruningStep(10 * StepsPerEpoch));
    }

    [Fact]
    public void Schedule_StartHorizonAndInitialSparsity_TrainDenseThenRampThenHold()
    {
        var request = Request(0.8, epochs: 10) with { Method = new MethodOptions { PmpStartEpoch = 2, PmpHorizon = 6, PmpInitialSparsity = 0.4 } };

        var schedule = ProgressiveMagnitude.Schedule(request, StepsPerEpoch, 10);

        Assert.False(schedule.IsPruningStep(0));
        Assert.Equal(0, schedule.SparsityAt((2 * StepsPerEpoch) - 1));
        double[] expected = [0.5, 0.6, 0.7, 0.8];
        for (int k = 0; k < expected.Length; k++)
        {
            long step = (2 + k) * StepsPerEpoch;
            Assert.True(schedule.IsPruningStep(step));
            Assert.Equal(expected[k], schedule.SparsityAt(step), 12);
        }
        Assert.All(Enumerable.Range(6 * StepsPerEpoch, 4 * StepsPerEpoch), step => Assert.False(schedule.IsPruningStep(step)));
        Assert.Equal(0.8, schedule.SparsityAt(9 * StepsPerEpoch), 12);
    }

    [Fact]
    public void Schedule_Cubic_SharesGradualMagnitudePruningsRamp()
    {
        var cubic = new ProgressiveSchedule(0, 0.9, 0, 100, 10, RampShape.Cubic);
        var gmp = new PolynomialSchedule(0, 0.9, -10, 90, 10, Exponent: 3);

        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(gmp.SparsityAt(k * 10), cubic.SparsityAt(k * 10), 12));
    }

    [Theory]
    [InlineData(0, 11, "--pmp-horizon")]
    [InlineData(10, null, "--pmp-start-epoch")]
    public void Schedule_OutsideTheRun_IsRefusedNamingTheFlag(int start, int? horizon, string flag)
    {
        var request = Request(0.9, epochs: 10) with { Method = new MethodOptions { PmpStartEpoch = start, PmpHorizon = horizon } };

        var error = Assert.Throws<ArgumentException>(() => ProgressiveMagnitude.Schedule(request, StepsPerEpoch, 10));

        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_HorizonNotAfterStart_IsAProblemNamingTheFlag()
    {
        var problems = new MethodOptions { PmpStartEpoch = 3, PmpHorizon = 3 }.Validate();

        Assert.Contains(problems, p => p.StartsWith("--pmp-horizon", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SelectionKind.Global)]
    [InlineData(SelectionKind.Layerwise)]
    public void Training_EachEpochsUpdate_HitsItsTargetExactlyWithMonotoneMasksAndZeroedWeights(SelectionKind selection)
    {
        var (masks, events, zerosOutsideMask) = Train(Request(0.85, epochs: 5) with { Selection = selection });

        Assert.Equal(5, events.Count);
        long total = masks[0].Total;
        for (int e = 0; e < events.Count; e++)
        {
            Assert.Equal(e * StepsPerEpoch, events[e].Step);
            Assert.Equal(0.85 * (e + 1) / 5, events[e].Target, 12);
            Assert.True(Math.Abs(masks[e].Kept - Math.Round((1 - events[e].Target) * total)) <= (selection == SelectionKind.Global ? 0 : 3),
                $"epoch {e}: kept {masks[e].Kept} of {total} for target {events[e].Target}");
            Assert.Equal(0, events[e].Regrown);
            Assert.True(zerosOutsideMask[e], $"epoch {e}: a pruned weight is not zero");
            if (e > 0)
            {
                Assert.True(masks[e].IsSubsetOf(masks[e - 1]), $"epoch {e}: the mask grew");
            }
        }
        masks.ForEach(m => m.Dispose());
    }

    [Fact]
    public void Training_EveryNSteps_UpdatesAtThoseStepsOnly()
    {
        var request = Request(0.6, epochs: 2) with { Method = new MethodOptions { PmpFrequency = 4 } };

        var (masks, events, _) = Train(request);

        Assert.Equal([0L, 4, 8], events.Select(e => e.Step));
        Assert.Equal(0.6, events[^1].Target, 12);
        masks.ForEach(m => m.Dispose());
    }

    [Fact]
    public void Training_WithRegrowth_LetsPrunedWeightsComeBack()
    {
        var request = Request(0.7, epochs: 5) with
        {
            Training = new TrainingOptions { Epochs = 5, BatchSize = Batch, LearningRate = 0.2, Seed = 3 },
            Method = new MethodOptions { PmpRegrowth = true, PmpFrequency = 2 },
        };

        var (masks, events, _) = Train(request);

        Assert.True(events.Sum(e => e.Regrown) > 0, "no pruned weight came back");
        Assert.All(events, e => Assert.True(Math.Abs(e.Target - e.Sparsity) < 1e-3, e.ToString()));
        masks.ForEach(m => m.Dispose());
    }

    private static PruningRequest Request(double sparsity, int epochs) => new()
    {
        Sparsity = sparsity,
        Training = new TrainingOptions { Epochs = epochs, BatchSize = Batch, LearningRate = 0.05, Seed = 2 },
    };

    /// <summary>Trains a small MLP under the pmp hook; the mask and whether pruned weights were zero at each epoch's end.</summary>
    private static (List<MaskSet> Masks, IReadOnlyList<PruningEvent> Events, List<bool> ZerosOutsideMask) Train(PruningRequest request)
    {
        using var data = SyntheticData.Split(train: Samples, test: 32, shape: new ImageShape(1, 8, 8));
        using var model = new GraphModule(ModelZoo.Build("mlp", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Widths = [32, 16] }));
        using var source = new BatchSource(data.Train, Normalization.Of(data.Train), CPU);
        var context = new PruningContext(model, PrunableScope.Default.Resolve(model), source, new RandomSource(1))
        {
            TrainingLabels = data.Train.Labels,
            Classes = data.Train.ClassCount,
        };
        using var hook = new GradualPruningHook(context, ProgressiveMagnitude.Schedule(request, source.BatchCount(Batch), request.Training.Epochs),
            MaskSelectors.For(request.Selection), request.Method.PmpRegrowth);
        var recorder = new EpochEndRecorder(hook, context);
        new Trainer(request.Training).Train(new TrainingSession { Model = model, Data = data, Hooks = [hook, recorder] });
        return (recorder.Masks, hook.Events, recorder.ZerosOutsideMask);
    }

    private sealed class EpochEndRecorder(GradualPruningHook hook, PruningContext context) : ITrainingHook
    {
        public List<MaskSet> Masks { get; } = [];

        public List<bool> ZerosOutsideMask { get; } = [];

        public void OnEpochEnd(TrainingContext context1, EpochRecord record)
        {
            var masks = hook.CurrentMasks();
            Masks.Add(masks);
            using var noGrad = no_grad();
            ZerosOutsideMask.Add(context.Parameters.All(p => p.Weight.masked_select(masks[p.Name].logical_not()).count_nonzero().item<long>() == 0));
        }
    }
}
