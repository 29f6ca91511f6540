using System.Diagnostics;
using System.Text.Json;
using Shear.Data;
using Shear.Graphs;
using Shear.IO;
using Shear.Masks;
using Shear.Metrics;
using Shear.Models;
using Shear.Pruning;
using Shear.Pruning.Methods;
using Shear.Runtime;
using Shear.Training;
using static TorchSharp.torch;

namespace Shear.Experiments.Runs;

/// <summary>
/// Hosts one pruning method in a run folder and keeps every step resumable: <c>phases/&lt;name&gt;/</c> (checkpoint
/// and metrics of each training phase), <c>masks/&lt;step&gt;.bin</c>, <c>plans/&lt;step&gt;.json</c> (channel plans
/// of structured methods), <c>weights/&lt;name&gt;.bin</c> (rewind points), and at the end <c>model.json</c>, <c>model.bin</c>, <c>masks.bin</c> and <c>result.json</c>.
/// </summary>
public sealed partial class PruningRun
{
    /// <summary>Final mask file in a run folder.</summary>
    public const string MasksFile = "masks.bin";

    /// <summary>Method-specific figures, when the method has any.</summary>
    public const string DetailsFile = "details.json";

    private const string PlansFolder = "plans";

    private static readonly string[] _stepFolders = ["phases", "masks", PlansFolder, "weights"];

    private readonly string _folder;
    private readonly ModelCard _card;
    private readonly DataSplit _data;
    private readonly PruningRequest _request;
    private readonly PruningMethodInfo _method;

    /// <summary>Describes a run of <paramref name="method"/> on <paramref name="card"/> and <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The request is invalid; the message names the flags.</exception>
    public PruningRun(string folder, ModelCard card, DataSplit data, PruningRequest request, PruningMethodInfo method)
    {
        var problems = method.Validate(request);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }
        (_folder, _card, _data, _request, _method) = (folder, card, data, request, method);
    }

    /// <summary>Where tensors live (default CPU).</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>The latency table file of a latency target (null: this machine's, see
    /// <see cref="Latency.OnnxLatencyTable.DefaultFile"/>).</summary>
    public string? LatencyCache { get; init; }

    /// <summary>Whether a latency target times every layer afresh, replacing the cached table (see
    /// <see cref="Latency.OnnxLatencyTable"/>).</summary>
    public bool RefreshLatency { get; init; }

    /// <summary>Milliseconds of one layer at a batch and thread count (null: ONNX Runtime); tests replace it.</summary>
    public Func<Latency.LayerShape, int, int, double>? MeasureLayer { get; init; }

    /// <summary>Milliseconds of a whole model at a batch and thread count, as the run records its latency outcome
    /// (default: ONNX Runtime); tests replace it.</summary>
    public Func<Graphs.ModelGraph, int, int, double> MeasureModel { get; init; } = (graph, batch, threads) => Latency.OnnxTiming.Median(graph, batch, threads);

    /// <summary>A run folder of <c>shear train</c> whose model replaces dense training, or null.</summary>
    public string? From { get; init; }

    /// <summary>Progress receiver for training epochs.</summary>
    public ITrainingObserver? Observer { get; init; }

    /// <summary>Called when a training phase or a pruning step starts, with its name.</summary>
    public Action<string>? OnStep { get; init; }

    /// <summary>Runs the method (continuing what a killed run left when <paramref name="resume"/>), saves the model
    /// and masks, and writes <c>result.json</c>.</summary>
    /// <exception cref="ArgumentException">The request does not fit the run (where it starts, the steps its data
    /// gives an epoch); checked before anything is written or trained, the message names the flags.</exception>
    public PruningResult Execute(bool resume)
    {
        var clock = Stopwatch.StartNew();
        _method.CheckStart(From);
        var problems = _method.Validate(_request, new RunShape { FromTrained = From is not null, TrainingSamples = _data.Train.Count });
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }
        Prepare(resume);
        using var model = CreateModel();
        var normalization = Normalization.Of(_data.Train);
        using var train = new BatchSource(_data.Train, normalization, Device);
        using var test = new BatchSource(_data.Test, normalization, Device);
        var context = new PruningContext(model, _request.Scope.Resolve(model), train, new RandomSource(_request.Training.Seed))
        {
            TrainingLabels = _data.Train.Labels,
            Classes = _data.Train.ClassCount,
        };
        using var host = new Host(this, context, test);
        var outcome = _method.Create(_request).Run(host);
        // A structured method may have replaced the model by its compacted form.
        var final = host.Context.Model;
        // A method that leaves no mask (a compacted, dense model) is saved with an all-keep one.
        using var masks = outcome.Masks ?? MaskSet.Full(host.Context.Parameters);
        using (var applier = new MaskApplier(host.Context.Parameters, masks))
        {
            applier.ApplyToWeights();
        }
        var evaluation = Evaluator.Evaluate(final, test, _data.Test.ClassCount);
        var report = SparsityReport.Measure(final, _request.Scope);
        host.Card.Save(_folder, final);
        MaskFile.Save(Path.Combine(_folder, MasksFile), masks);
        var result = new PruningResult(PruningResult.CurrentSchema, "prune", _method.Key, _method.Budget,
            host.Phases.Sum(p => p.Epochs), _request, host.Card, Summary(_data), From, host.DenseTest, evaluation, report,
            host.Phases, outcome.Rounds, host.Warnings, clock.Elapsed.TotalSeconds, RunEnvironment.Capture(Device))
        {
            Details = outcome.Details,
            Compaction = host.Compaction,
            PrunedTest = host.PrunedTest,
            Latency = host.LatencyOutcome,
        };
        if (outcome.Details is not null)
        {
            AtomicFile.WriteAllText(Path.Combine(_folder, DetailsFile), JsonSerializer.Serialize(outcome.Details, outcome.Details.GetType(), RunResult.JsonOptions));
        }
        AtomicFile.WriteAllText(Path.Combine(_folder, TrainingRun.ResultFile), JsonSerializer.Serialize(result, RunResult.JsonOptions));
        return result;
    }

    internal static DataSummary Summary(DataSplit data) =>
        new(data.Name, data.Train.Source, data.Train.Count, data.Test.Count, data.Train.ClassCount);

    private void Prepare(bool resume)
    {
        Directory.CreateDirectory(_folder);
        if (!resume)
        {
            foreach (string stale in _stepFolders.Select(d => Path.Combine(_folder, d)).Where(Directory.Exists))
            {
                Directory.Delete(stale, recursive: true);
            }
        }
    }

    private GraphModule CreateModel()
    {
        if (From is null)
        {
            return _card.Create(_request.Training.Seed, Device);
        }
        var (card, module) = ModelCard.Load(From, Device);
        if (card.Key != _card.Key || card.Input != _card.Input || card.Classes != _card.Classes)
        {
            module.Dispose();
            throw new ArgumentException($"--from {From}: the saved model is {card.Key} for {card.Input}/{card.Classes} classes, "
                + $"this run needs {_card.Key} for {_card.Input}/{_card.Classes}");
        }
        return module;
    }
}
