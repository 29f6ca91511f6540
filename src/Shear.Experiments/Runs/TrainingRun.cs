using System.Diagnostics;
using System.Text.Json;
using Shear.Data;
using Shear.IO;
using Shear.Metrics;
using Shear.Models;
using Shear.Runtime;
using Shear.Training;
using static TorchSharp.torch;

namespace Shear.Experiments.Runs;

/// <summary>
/// One training run in its own folder: <c>checkpoint.bin</c> after every epoch, <c>metrics.jsonl</c>, the final
/// <c>model.json</c> + <c>model.bin</c>, and <c>result.json</c>. A killed run continues with <c>resume</c>.
/// </summary>
public sealed class TrainingRun
{
    /// <summary>Name of the checkpoint file inside a run folder.</summary>
    public const string CheckpointFile = "checkpoint.bin";

    /// <summary>Name of the per-epoch metrics file.</summary>
    public const string MetricsFile = "metrics.jsonl";

    /// <summary>Name of the result file.</summary>
    public const string ResultFile = "result.json";

    private readonly string _folder;
    private readonly ModelCard _card;
    private readonly DataSplit _data;
    private readonly TrainingOptions _options;

    /// <summary>Describes a run of <paramref name="options"/> on <paramref name="data"/> in <paramref name="folder"/>.</summary>
    public TrainingRun(string folder, ModelCard card, DataSplit data, TrainingOptions options)
    {
        _folder = folder;
        _card = card;
        _data = data;
        _options = options;
    }

    /// <summary>Where tensors live (default CPU).</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>Progress receiver.</summary>
    public ITrainingObserver? Observer { get; init; }

    /// <summary>Trains (or resumes), saves the model and writes <c>result.json</c>.</summary>
    public RunResult Execute(bool resume)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(_folder);
        using var model = _card.Create(_options.Seed, Device);
        var session = new TrainingSession
        {
            Model = model,
            Data = _data,
            Device = Device,
            CheckpointPath = Path.Combine(_folder, CheckpointFile),
            MetricsPath = Path.Combine(_folder, MetricsFile),
            Resume = resume,
            Observer = Observer,
        };
        var training = new Trainer(_options).Train(session);
        _card.Save(_folder, model);
        var graph = model.Graph;
        var result = new RunResult(RunResult.CurrentSchema, "train", _card, new DataSummary(_data.Name, _data.Train.Source,
                _data.Train.Count, _data.Test.Count, _data.Train.ClassCount), _options,
            ModelStatistics.Parameters(graph), ModelStatistics.Macs(graph), training.Final, training.History,
            training.ResumedAtEpoch, clock.Elapsed.TotalSeconds, RunEnvironment.Capture(Device));
        AtomicFile.WriteAllText(Path.Combine(_folder, ResultFile), JsonSerializer.Serialize(result, RunResult.JsonOptions));
        return result;
    }
}
