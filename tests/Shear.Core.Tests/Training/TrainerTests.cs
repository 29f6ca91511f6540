using Shear.Data;
using Shear.Graphs;
using Shear.Models;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Training;

public class TrainerTests
{
    private static readonly TrainingOptions _recipe = new()
    {
        Epochs = 4,
        BatchSize = 32,
        LearningRate = 0.05,
        WarmupEpochs = 1,
        Augmentation = new AugmentationOptions { CropPadding = 1, HorizontalFlip = true },
        Seed = 11,
    };

    private static GraphModule NewModel(DataSplit data, long seed = 3) =>
        new ModelCard("lenet5", data.Train.Shape, data.Train.ClassCount, new ModelOptions()).Create(seed, CPU);

    [Fact]
    public void Train_SameSeedTwice_GivesBitIdenticalWeightsAndMetrics()
    {
        using var data = SyntheticData.Split(shape: new ImageShape(1, 12, 12));
        using var first = NewModel(data);
        using var second = NewModel(data);

        var a = new Trainer(_recipe).Train(new TrainingSession { Model = first, Data = data });
        var b = new Trainer(_recipe).Train(new TrainingSession { Model = second, Data = data });

        AssertSameWeights(first, second);
        Assert.Equal(a.History.Select(r => r.TrainLoss), b.History.Select(r => r.TrainLoss));
        Assert.Equal(a.Final.TestAccuracy, b.Final.TestAccuracy);
    }

    [Fact]
    public void Train_LearnableData_ReachesHighTestAccuracy()
    {
        using var data = SyntheticData.Split(shape: new ImageShape(1, 12, 12));
        using var model = NewModel(data);

        var result = new Trainer(_recipe with { Augmentation = AugmentationOptions.None }).Train(new TrainingSession { Model = model, Data = data });

        Assert.True(result.Final.TestAccuracy >= 0.9, $"test accuracy {result.Final.TestAccuracy}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss);
    }

    [Fact]
    public void Train_KilledAfterEpochTwoThenResumed_EndsWithTheUninterruptedWeights()
    {
        using var data = SyntheticData.Split(shape: new ImageShape(1, 12, 12));
        using var folder = new TempDirectory();
        using var reference = NewModel(data);
        new Trainer(_recipe).Train(new TrainingSession { Model = reference, Data = data });

        using (var interrupted = NewModel(data))
        {
            var killer = new StopAfterEpoch(2);
            var session = new TrainingSession { Model = interrupted, Data = data, CheckpointPath = folder.File("ckpt.bin"), Hooks = [killer] };
            Assert.Throws<OperationCanceledException>(() => new Trainer(_recipe).Train(session));
        }
        using var resumed = NewModel(data, seed: 99); // different initial weights: the checkpoint must overwrite them
        var result = new Trainer(_recipe).Train(new TrainingSession
        {
            Model = resumed, Data = data, CheckpointPath = folder.File("ckpt.bin"), MetricsPath = folder.File("metrics.jsonl"), Resume = true,
        });

        Assert.Equal(2, result.ResumedAtEpoch);
        Assert.Equal([1, 2, 3, 4], result.History.Select(r => r.Epoch));
        AssertSameWeights(reference, resumed);
        Assert.Equal(4, File.ReadAllLines(folder.File("metrics.jsonl")).Length);
    }

    [Fact]
    public void Train_MetricsLines_CarryTheTestPassTimeAndItsShareOfTheEpoch()
    {
        using var data = SyntheticData.Split(shape: new ImageShape(1, 12, 12));
        using var folder = new TempDirectory();
        using var model = NewModel(data);

        new Trainer(_recipe with { Epochs = 2 }).Train(new TrainingSession { Model = model, Data = data, MetricsPath = folder.File("metrics.jsonl") });

        foreach (string line in File.ReadAllLines(folder.File("metrics.jsonl")))
        {
            using var record = System.Text.Json.JsonDocument.Parse(line);
            double evaluation = record.RootElement.GetProperty("evaluationSeconds").GetDouble();
            double share = record.RootElement.GetProperty("evaluationShare").GetDouble();
            Assert.InRange(evaluation, 1e-6, record.RootElement.GetProperty("seconds").GetDouble());
            Assert.InRange(share, 1e-9, 1.0);
        }
    }

    [Fact]
    public void Train_ResumeUnderAnotherRecipe_IsRefusedNamingTheCheckpoint()
    {
        using var data = SyntheticData.Split(train: 64, shape: new ImageShape(1, 12, 12));
        using var folder = new TempDirectory();
        using var model = NewModel(data);
        string checkpoint = folder.File("ckpt.bin");
        new Trainer(_recipe with { Epochs = 1 }).Train(new TrainingSession { Model = model, Data = data, CheckpointPath = checkpoint });

        var error = Assert.Throws<InvalidOperationException>(() => new Trainer(_recipe with { LearningRate = 0.2 })
            .Train(new TrainingSession { Model = model, Data = data, CheckpointPath = checkpoint, Resume = true }));

        Assert.Contains(checkpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_LossBecomesNaN_StopsNamingEpochAndBatch()
    {
        using var data = SyntheticData.Split(train: 128, shape: new ImageShape(1, 12, 12));
        using var model = NewModel(data);
        var poison = new PoisonAtStep(5);

        var error = Assert.Throws<TrainingDivergedException>(() =>
            new Trainer(_recipe).Train(new TrainingSession { Model = model, Data = data, Hooks = [poison] }));

        // 128 samples / 32 per batch = 4 batches per epoch; the 6th forward (epoch 2, batch 2) sees NaN weights.
        Assert.Equal(2, error.Epoch);
        Assert.Equal(2, error.Batch);
        Assert.Contains("epoch 2, batch 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadOption_ErrorNamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new Trainer(_recipe with { LabelSmoothing = 1.5 }));

        Assert.Contains("--label-smoothing must be in [0, 1), got 1.5", error.Message, StringComparison.Ordinal);
    }

    private static void AssertSameWeights(GraphModule expected, GraphModule actual)
    {
        var theirs = actual.state_dict();
        foreach (var (name, tensor) in expected.state_dict())
        {
            TensorAssert.BitIdentical(tensor, theirs[name]);
        }
    }

    private sealed class StopAfterEpoch(int epochs) : ITrainingHook
    {
        public void OnEpochEnd(TrainingContext context, EpochRecord record)
        {
            if (record.Epoch == epochs)
            {
                throw new OperationCanceledException("simulated kill");
            }
        }
    }

    private sealed class PoisonAtStep(long step) : ITrainingHook
    {
        public void BeforeForward(TrainingContext context)
        {
            if (context.Step == step)
            {
                using var noGrad = no_grad();
                context.Model.parameters().First().fill_(double.NaN);
            }
        }
    }
}
