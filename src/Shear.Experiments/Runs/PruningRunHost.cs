using Shear.Data;
using Shear.Graphs;
using Shear.Metrics;
using Shear.Models;
using Shear.Pruning.Structure;
using Shear.IO;
using Shear.Masks;
using Shear.Pruning;
using Shear.Pruning.Methods;
using Shear.Training;

namespace Shear.Experiments.Runs;

public sealed partial class PruningRun
{
    /// <summary>The <see cref="IPruningRunner"/> a method sees: phases, masks and weights kept in the run folder.</summary>
    private sealed class Host(PruningRun run, PruningContext context, BatchSource test) : IPruningRunner, IDisposable
    {
        private const string PrunedTestFile = "pruned-test.json";
        private readonly List<GraphModule> _replaced = [];

        public List<PhaseRecord> Phases { get; } = [];

        public List<string> Warnings { get; } = [];

        public void Warn(string message) => Warnings.Add(message);

        public Evaluation? DenseTest { get; private set; }

        /// <summary>Test figures of the pruned (and compacted) model right before its fine-tune phase.</summary>
        public Evaluation? PrunedTest { get; private set; }

        public PruningContext Context => context;

        /// <summary>The card of the model in <see cref="Context"/> (with its description once compacted).</summary>
        public ModelCard Card { get; private set; } = run._card;

        public CompactionRecord? Compaction { get; private set; }

        /// <summary>Predicted and measured latency of the compacted model, for runs with a latency target.</summary>
        public LatencyRecord? LatencyOutcome { get; private set; }

        private Experiments.Latency.OnnxLatencyTable? _latency;

        public Pruning.Latency.ILatencyModel? Latency => Request.Method.TargetLatencyRatio is null ? null
            : _latency ??= new Experiments.Latency.OnnxLatencyTable(run.LatencyCache ?? Experiments.Latency.OnnxLatencyTable.DefaultFile, Request.Method.LatencyBatch,
                TorchSharp.torch.get_num_threads(), run.RefreshLatency, run.MeasureLayer);

        public ChannelPlan Plan(string step, ChannelGraph channels, Func<ChannelPlan> compute)
        {
            string path = Path.Combine(run._folder, PlansFolder, step + ".json");
            if (File.Exists(path))
            {
                return ChannelPlanFile.Load(path, channels);
            }
            run.OnStep?.Invoke(step);
            var plan = compute();
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            ChannelPlanFile.Save(path, plan);
            return plan;
        }

        public PruningContext Compact(ChannelPlan plan)
        {
            var before = context.Model;
            var compact = TorchSharp.ModuleExtensionMethods.to(ChannelSurgery.Compact(before, plan), run.Device);
            _replaced.Add(compact);
            context = context with { Model = compact, Parameters = Request.Scope.Resolve(compact) };
            Card = run._card with { Description = compact.Graph.Describe() };
            // The surviving channels' BatchNorm statistics were measured with the removed ones still feeding them.
            BatchNormRecalibration.Run(compact, context.Training, Request.Method.RecalibrationBatches, Request.Training.BatchSize);
            // A method that compacts in steps is recorded against the model it started from.
            var first = Compaction;
            Compaction = new CompactionRecord(first?.ParametersBefore ?? ModelStatistics.Parameters(before.Graph), first?.MacsBefore ?? ModelStatistics.Macs(before.Graph),
                ModelStatistics.Parameters(compact.Graph), ModelStatistics.Macs(compact.Graph),
                [.. plan.Channels.Groups.Select(g => new GroupRecord(g.Producers,
                    first?.Groups.FirstOrDefault(r => r.Producers.SequenceEqual(g.Producers))?.Channels ?? g.Channels, plan.KeptIn(g.Id)))]);
            if (Latency is { } model && Request.Method.TargetLatencyRatio is double target)
            {
                // What the search predicted, beside what ONNX Runtime measures for the whole models (the methods that
                // read a latency target compact once).
                LatencyOutcome = new LatencyRecord(model.Batch, model.Threads, target, model.Milliseconds(before.Graph), model.Milliseconds(compact.Graph),
                    run.MeasureModel(before.Graph, model.Batch, model.Threads), run.MeasureModel(compact.Graph, model.Batch, model.Threads));
            }
            return context;
        }

        /// <summary>Frees the compacted models this run made (the original belongs to the caller).</summary>
        public void Dispose() => _replaced.ForEach(m => m.Dispose());

        public PruningRequest Request => run._request;

        public bool StartsFromTrained => run.From is not null;

        public PhaseRecord TrainDense(IReadOnlyList<ITrainingHook>? hooks = null)
        {
            var phase = StartsFromTrained ? new PhaseRecord("dense", 0, 0, []) : Train("dense", Request.Training.Epochs, null, hooks);
            DenseTest = Evaluator.Evaluate(context.Model, test, run._data.Test.ClassCount);
            return phase;
        }

        public PhaseRecord Train(string phase, int epochs, MaskSet? masks, IReadOnlyList<ITrainingHook>? hooks = null, bool fineTune = false)
        {
            run.OnStep?.Invoke(phase);
            using var applier = masks is null ? null : new MaskApplier(context.Parameters, masks);
            applier?.ApplyToWeights();
            var history = new List<EpochRecord>();
            if (epochs > 0)
            {
                string folder = Path.Combine(run._folder, "phases", phase);
                Directory.CreateDirectory(folder);
                if (fineTune)
                {
                    PrunedTest = BeforeFinetune(Path.Combine(folder, PrunedTestFile));
                }
                var session = new TrainingSession
                {
                    Model = context.Model,
                    Data = run._data,
                    Device = run.Device,
                    CheckpointPath = Path.Combine(folder, TrainingRun.CheckpointFile),
                    MetricsPath = Path.Combine(folder, TrainingRun.MetricsFile),
                    Resume = true,
                    Hooks = [.. applier is null ? [] : new ITrainingHook[] { applier }, .. hooks ?? []],
                    Observer = run.Observer,
                };
                var recipe = Request.Training with { Epochs = epochs };
                if (fineTune && Request.FinetuneLearningRate is double rate)
                {
                    recipe = recipe with { LearningRate = rate, WarmupEpochs = 0 };
                }
                history.AddRange(new Trainer(recipe).Train(session).History);
            }
            // Measured on the weights, as the final result is: masked weights are zero by now.
            var record = new PhaseRecord(phase, epochs, SparsityReport.SparsityOf(context.Model, Request.Scope), history);
            Phases.Add(record);
            return record;
        }

        // Evaluated once, before the first fine-tune epoch, and kept beside the phase's checkpoint: a resumed run
        // must not report its half-fine-tuned model as the pruned one.
        private Evaluation BeforeFinetune(string path)
        {
            if (File.Exists(path))
            {
                return System.Text.Json.JsonSerializer.Deserialize<Evaluation>(File.ReadAllText(path), MetricsJson.Options)
                    ?? throw new InvalidDataException($"{path}: empty evaluation");
            }
            var evaluation = Evaluator.Evaluate(context.Model, test, run._data.Test.ClassCount);
            AtomicFile.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(evaluation, MetricsJson.Options));
            return evaluation;
        }

        public MaskSet Prune(string step, Func<MaskSet> compute)
        {
            string path = Path.Combine(run._folder, "masks", step + ".bin");
            if (File.Exists(path))
            {
                return MaskFile.Load(path, run.Device);
            }
            run.OnStep?.Invoke(step);
            var masks = compute();
            // Named by layer, as result.json's per-layer figures are.
            var collapsed = masks.Collapsed.Select(name => context.Parameters.FirstOrDefault(p => p.Name == name)?.Layer.Name ?? name).ToList();
            if (collapsed.Count > 0)
            {
                string message = $"{step}: layer collapse, no weights left in {string.Join(", ", collapsed)}";
                if (Request.OnCollapse == CollapsePolicy.Fail)
                {
                    masks.Dispose();
                    throw new InvalidOperationException(message + " (--on-collapse fail)");
                }
                Warnings.Add(message);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            MaskFile.Save(path, masks);
            return masks;
        }

        public void SaveWeights(string name)
        {
            string path = WeightsPath(name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.Write(path, stream =>
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                context.Model.save(writer);
            });
        }

        public bool HasWeights(string name) => File.Exists(WeightsPath(name));

        public void LoadWeights(string name) => context.Model.load(WeightsPath(name));

        private string WeightsPath(string name) => Path.Combine(run._folder, "weights", name + ".bin");
    }
}
