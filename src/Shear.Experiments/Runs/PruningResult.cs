using System.Text.Json.Nodes;
using Shear.Metrics;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Runtime;
using Shear.Training;

namespace Shear.Experiments.Runs;

/// <summary>What compaction removed.</summary>
/// <param name="ParametersBefore">Parameters of the model before compaction.</param>
/// <param name="MacsBefore">Its MACs per image.</param>
/// <param name="ParametersAfter">Parameters of the compacted model.</param>
/// <param name="MacsAfter">Its MACs per image.</param>
/// <param name="Groups">Per channel group: its producers, channels and kept channels.</param>
public sealed record CompactionRecord(long ParametersBefore, long MacsBefore, long ParametersAfter, long MacsAfter,
    IReadOnlyList<GroupRecord> Groups);

/// <summary>How a run with a latency target (<c>--target-latency-ratio</c>) came out: the latency its table predicted
/// and what ONNX Runtime measured, for the dense and the compacted model, in milliseconds per batch.</summary>
/// <param name="Batch">Batch size.</param>
/// <param name="Threads">Intra-op threads.</param>
/// <param name="TargetRatio">The target: compacted over dense latency.</param>
/// <param name="PredictedDenseMs">Predicted latency of the dense model's conv and linear layers.</param>
/// <param name="PredictedMs">Predicted latency of the compacted model's conv and linear layers.</param>
/// <param name="MeasuredDenseMs">Measured latency of the whole dense model.</param>
/// <param name="MeasuredMs">Measured latency of the whole compacted model.</param>
public sealed record LatencyRecord(int Batch, int Threads, double TargetRatio, double PredictedDenseMs, double PredictedMs,
    double MeasuredDenseMs, double MeasuredMs)
{
    /// <summary>Predicted compacted over dense latency.</summary>
    public double PredictedRatio => PredictedMs / PredictedDenseMs;

    /// <summary>Measured compacted over dense latency.</summary>
    public double MeasuredRatio => MeasuredMs / MeasuredDenseMs;
}

/// <summary>One channel group's outcome.</summary>
/// <param name="Producers">Conv and linear layers making the channels.</param>
/// <param name="Channels">Channels before.</param>
/// <param name="Kept">Channels after.</param>
public sealed record GroupRecord(IReadOnlyList<string> Producers, int Channels, int Kept);

/// <summary>The contract of a pruning run's <c>result.json</c> (schema-versioned: add fields, never rename them).</summary>
/// <param name="Schema">Schema version.</param>
/// <param name="Command">Always <c>prune</c>.</param>
/// <param name="Method">Method key.</param>
/// <param name="Budget">The method's epoch budget in terms of E and F.</param>
/// <param name="TotalEpochs">Epochs actually trained by this run, all phases together.</param>
/// <param name="Request">Every setting.</param>
/// <param name="Model">The model card.</param>
/// <param name="Data">The data used.</param>
/// <param name="StartedFrom">The <c>--from</c> run folder, or null.</param>
/// <param name="DenseTest">Test figures of the dense model before pruning (null for methods that prune at initialisation).</param>
/// <param name="Test">Test figures of the final pruned model.</param>
/// <param name="Sparsity">Per-layer and total sparsity, parameters, MACs and size of the final model.</param>
/// <param name="Phases">Training phases with per-epoch curves.</param>
/// <param name="Rounds">Per-round records of round-based methods.</param>
/// <param name="Warnings">Layer collapse and other warnings.</param>
/// <param name="Seconds">Wall time of this invocation.</param>
/// <param name="Environment">Versions, threads, device.</param>
public sealed record PruningResult(
    int Schema,
    string Command,
    string Method,
    string Budget,
    int TotalEpochs,
    PruningRequest Request,
    ModelCard Model,
    DataSummary Data,
    string? StartedFrom,
    Evaluation? DenseTest,
    Evaluation Test,
    SparsityReport Sparsity,
    IReadOnlyList<PhaseRecord> Phases,
    IReadOnlyList<RoundRecord> Rounds,
    IReadOnlyList<string> Warnings,
    double Seconds,
    RunEnvironment Environment)
{
    /// <summary>The schema version this build writes. 2: the saved model's MACs are <c>macsExecuted</c> (schema 1
    /// called them <c>macsDense</c>, which results also use for the model before pruning). 3: the request records
    /// <c>channelMultiple</c> (older runs kept channel counts as selected, i.e. 1).</summary>
    public const int CurrentSchema = 3;

    /// <summary>Brings the JSON of a <c>result.json</c> of an older schema to <see cref="CurrentSchema"/>, in place.</summary>
    /// <returns><paramref name="json"/>.</returns>
    public static JsonObject Migrate(JsonObject json)
    {
        int schema = json["schema"]?.GetValue<int>() ?? 1;
        if (schema < 2 && json["sparsity"] is JsonObject report)
        {
            Rename(report, "macsDense", "macsExecuted");
            foreach (var layer in report["layers"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                Rename(layer, "macsDense", "macsExecuted");
            }
        }
        if (schema < 3 && json["request"]?["method"] is JsonObject options && !options.ContainsKey("channelMultiple"))
        {
            options["channelMultiple"] = ChannelSettings.LegacyMultiple;
        }
        json["schema"] = CurrentSchema;
        return json;
    }

    private static void Rename(JsonObject node, string from, string to)
    {
        if (node.Remove(from, out var value))
        {
            node[to] = value;
        }
    }

    /// <summary>Method-specific figures (pmp's mask updates, dpp's fitted models and per-layer sparsities), or null.
    /// Also written alone as <c>details.json</c>.</summary>
    public object? Details { get; init; }

    /// <summary>Test figures of the pruned (for structured methods, compacted) model before fine-tuning; null for
    /// methods without a fine-tune phase or with 0 fine-tune epochs (then <see cref="Test"/> is that model).</summary>
    public Evaluation? PrunedTest { get; init; }

    /// <summary>Parameters and MACs before and after compaction, for structured methods that rebuilt the model
    /// smaller; null otherwise.</summary>
    public CompactionRecord? Compaction { get; init; }

    /// <summary>Predicted and measured latency, for runs with a latency target; null otherwise.</summary>
    public LatencyRecord? Latency { get; init; }
}
