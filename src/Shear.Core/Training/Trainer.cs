using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Shear.Data;
using Shear.IO;
using Shear.Metrics;
using Shear.Runtime;
using static TorchSharp.torch;

namespace Shear.Training;

/// <summary>
/// Trains a model by a recipe: seeded batches, forward, loss, backward, hooks, step; evaluation, JSON-lines
/// metrics and an atomic checkpoint after every epoch; exact resumption from the last checkpoint.
/// </summary>
/// <remarks>
/// On the CPU, the same seed, recipe and thread count give bit-identical weights, and a run resumed from epoch k's
/// checkpoint ends with the same weights as an uninterrupted run (both tested).
/// </remarks>
public sealed class Trainer
{
    private readonly TrainingOptions _options;

    /// <summary>Creates a trainer for <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public Trainer(TrainingOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }
        _options = options;
    }

    /// <summary>Runs every remaining epoch of <paramref name="session"/>.</summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainingResult Train(TrainingSession session)
    {
        var model = session.Model;
        var normalization = Normalization.Of(session.Data.Train);
        using var train = new BatchSource(session.Data.Train, normalization, session.Device);
        using var test = new BatchSource(session.Data.Test, normalization, session.Device);
        using var optimizer = OptimizerFactory.Create(_options, model.parameters());
        var context = new TrainingContext(model, optimizer, _options);
        string fingerprint = Fingerprint(session);
        var (history, resumedAt) = Restore(session, optimizer, fingerprint, context);
        var random = new RandomSource(_options.Seed);

        for (int epoch = history.Count; epoch < _options.Epochs; epoch++)
        {
            context.Epoch = epoch;
            var record = RunEpoch(context, session, train, test, random);
            history.Add(record);
            if (session.CheckpointPath is not null)
            {
                Checkpoint.Save(session.CheckpointPath, new TrainingState(epoch + 1, context.Step, fingerprint, history), model, optimizer);
            }
            WriteMetrics(session.MetricsPath, history);
            foreach (var hook in session.Hooks)
            {
                hook.OnEpochEnd(context, record);
            }
            session.Observer?.OnEpochEnd(record);
        }
        return new TrainingResult(history, resumedAt);
    }

    private EpochRecord RunEpoch(TrainingContext context, TrainingSession session, BatchSource train, BatchSource test, RandomSource random)
    {
        int epoch = context.Epoch;
        int batches = train.BatchCount(_options.BatchSize);
        session.Observer?.OnEpochStart(epoch + 1, batches);
        foreach (var hook in session.Hooks)
        {
            hook.OnEpochStart(context, epoch);
        }
        var clock = Stopwatch.StartNew();
        context.Model.train();
        double lossSum = 0, rate = 0;
        long correct = 0;
        int batch = 0;
        foreach (var (input, labels) in train.Shuffled(epoch, _options.BatchSize, random, _options.Augmentation))
        {
            using var scope = NewDisposeScope();
            rate = LearningRateSchedule.At(_options, epoch + ((double)batch / batches));
            OptimizerFactory.SetLearningRate(context.Optimizer, rate);
            var (loss, hits) = Step(context, session.Hooks, input, labels);
            batch++;
            if (!double.IsFinite(loss))
            {
                throw new TrainingDivergedException(epoch + 1, batch, loss);
            }
            lossSum += loss * labels.shape[0];
            correct += hits;
            session.Observer?.OnBatch(epoch + 1, batch, loss);
        }
        double trainSeconds = clock.Elapsed.TotalSeconds;
        var evaluation = Evaluator.Evaluate(context.Model, test, session.Data.Test.ClassCount, _options.EvaluationBatchSize);
        double seconds = clock.Elapsed.TotalSeconds;
        return new EpochRecord(epoch + 1, lossSum / train.Count, (double)correct / train.Count, evaluation.Top1,
            evaluation.Top5, evaluation.Loss, rate, train.Count / trainSeconds, seconds, seconds - trainSeconds);
    }

    private (double Loss, long Hits) Step(TrainingContext context, IReadOnlyList<ITrainingHook> hooks, Tensor input, Tensor labels)
    {
        foreach (var hook in hooks)
        {
            hook.BeforeForward(context);
        }
        context.Optimizer.zero_grad();
        var logits = context.Model.call(input);
        var loss = nn.functional.cross_entropy(logits, labels, label_smoothing: _options.LabelSmoothing);
        loss.backward();
        foreach (var hook in hooks)
        {
            hook.AfterBackward(context, loss);
        }
        context.Optimizer.step();
        context.Step++;
        foreach (var hook in hooks)
        {
            hook.AfterOptimizerStep(context);
        }
        using var noGrad = no_grad();
        return (loss.item<float>(), logits.argmax(1).eq(labels).sum().item<long>());
    }

    private static (List<EpochRecord> History, int? ResumedAt) Restore(
        TrainingSession session, optim.Optimizer optimizer, string fingerprint, TrainingContext context)
    {
        if (!session.Resume || session.CheckpointPath is null || !File.Exists(session.CheckpointPath))
        {
            return ([], null);
        }
        var state = Checkpoint.Load(session.CheckpointPath, session.Model, optimizer);
        if (state.Fingerprint != fingerprint)
        {
            throw new InvalidOperationException(
                $"{session.CheckpointPath}: the checkpoint was written by a different recipe, model or data set; "
                + "start a fresh run instead of --resume.");
        }
        context.Step = state.Steps;
        return (state.History.ToList(), state.CompletedEpochs);
    }

    // The recipe minus the epoch count (so a run may be extended), plus what identifies model and data.
    private string Fingerprint(TrainingSession session)
    {
        string text = JsonSerializer.Serialize(_options with { Epochs = 0 }) + session.Model.Graph.Name
            + ModelStatistics.Parameters(session.Model.Graph) + session.Data.Name + session.Data.Train.Count;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    private static void WriteMetrics(string? path, IReadOnlyList<EpochRecord> history)
    {
        if (path is not null)
        {
            AtomicFile.WriteAllText(path, string.Concat(history.Select(r => JsonSerializer.Serialize(r, MetricsJson.Options) + "\n")));
        }
    }
}
