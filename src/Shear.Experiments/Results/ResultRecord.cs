using System.Text.Json.Serialization;
using Shear.Masks;
using Shear.Runtime;

namespace Shear.Experiments.Results;

/// <summary>Per-layer sparsity of one run, for the per-layer bars of reports.</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Sparsity">Fraction of its weights removed.</param>
public sealed record LayerPoint(string Layer, double Sparsity);

/// <summary>One epoch of a run's training curve.</summary>
/// <param name="Phase">Phase name (<c>train</c> for a dense run).</param>
/// <param name="Epoch">1-based epoch within the phase.</param>
/// <param name="TrainLoss">Mean training loss.</param>
/// <param name="TestAccuracy">Test top-1 after the epoch.</param>
public sealed record CurvePoint(string Phase, int Epoch, double TrainLoss, double TestAccuracy);

/// <summary>
/// One finished run (dense training or pruning) flattened for the results store, comparisons and reports. Built
/// from a run folder's <c>result.json</c> (and <c>run.json</c> when a sweep made it).
/// </summary>
public sealed record ResultRecord
{
    /// <summary>The method key of dense training runs: the baselines every table puts first.</summary>
    public const string Dense = "dense";

    /// <summary>Run id: the sweep's hash of the resolved settings, or the folder name of an ad-hoc run.</summary>
    public required string Id { get; init; }

    /// <summary>The run folder.</summary>
    public required string Path { get; init; }

    /// <summary>Experiment name from the sweep config, or empty.</summary>
    public string Experiment { get; init; } = "";

    /// <summary><c>train</c> or <c>prune</c>.</summary>
    public required string Command { get; init; }

    /// <summary>Zoo key.</summary>
    public required string Model { get; init; }

    /// <summary>Data set name.</summary>
    public required string Data { get; init; }

    /// <summary>Method key; <see cref="Dense"/> for a training run.</summary>
    public required string Method { get; init; }

    /// <summary>Whether this is a dense training run.</summary>
    [JsonIgnore]
    public bool IsDense => Method == Dense;

    /// <summary>The requested sparsity: a fraction (<see cref="SparsityTarget.None"/> for dense), automatic, or
    /// matched to another run.</summary>
    public SparsityTarget Target { get; init; } = SparsityTarget.None;

    /// <summary>The target's fraction, 0 when automatic: the number the index filters on.</summary>
    public double TargetSparsity => Target.Value ?? 0;

    /// <summary>The target's <see cref="SparsityTarget.Label"/>.</summary>
    public string? TargetLabel => Target.Label;

    /// <summary>The method's settings that differ from their defaults, <c>key=value, …</c> (e.g.
    /// <c>dpp-m=8</c>), or null: runs of one method with different settings are different rows.</summary>
    public string? Variant { get; init; }

    /// <summary>The method as tables name it: the key, then the <see cref="Variant"/> in parentheses.</summary>
    [JsonIgnore]
    public string MethodLabel => Variant is string variant ? $"{Method} ({variant})" : Method;

    /// <summary>Measured sparsity of the counted weights.</summary>
    public double Sparsity { get; init; }

    /// <summary>Seed.</summary>
    public long Seed { get; init; }

    /// <summary>Test top-1 in [0, 1].</summary>
    public double Top1 { get; init; }

    /// <summary>Test top-5, where defined.</summary>
    public double? Top5 { get; init; }

    /// <summary>Dense MACs per image: of the model before pruning (before compaction, for a compacted one).</summary>
    public long MacsDense { get; init; }

    /// <summary>MACs per image touching non-zero weights.</summary>
    public long MacsEffective { get; init; }

    /// <summary>MACs per image of the saved model run as a dense network: a compacted model counts its smaller
    /// layers, zeros inside a layer (pruned weights, dropped stripes) are still computed. 0 in records written
    /// before the field existed.</summary>
    public long MacsExecuted { get; init; }

    /// <summary>ONNX Runtime latency of the saved model, milliseconds per batch of <see cref="LatencyBatch"/> on one
    /// thread, from the <c>bench.json</c> its run folder holds (<c>shear bench infer --model-dir RUN --json
    /// RUN/bench.json</c>); null where there is none.</summary>
    public double? LatencyMs { get; init; }

    /// <summary>The batch of <see cref="LatencyMs"/>.</summary>
    public int? LatencyBatch { get; init; }

    /// <summary>Test top-1 of the model a pruning run started its pruning from: the trained dense model, or for
    /// methods that train their own (cdp-dtc, slimming) the model right before the final pruning; null for methods
    /// that prune at initialisation and for dense runs.</summary>
    public double? Top1BeforePruning { get; init; }

    /// <summary>Test top-1 of the pruned (and compacted) model before any fine-tuning: the final top-1 when the run
    /// has no fine-tune epochs; null where not recorded.</summary>
    public double? Top1BeforeFinetune { get; init; }

    /// <summary>Training images of the run's data (0 where not recorded).</summary>
    public int TrainImages { get; init; }

    /// <summary>Images the reported top-1 was measured on: the test set, or the held-out part of the training set
    /// for data named <c>NAME-holdoutF</c> (0 where not recorded).</summary>
    public int TestImages { get; init; }

    /// <summary>Whether pruned channels were physically removed (the model's shapes shrank).</summary>
    public bool Compacted { get; init; }

    /// <summary>Trainable parameters of the model before pruning (before compaction for a compacted model; 0 where
    /// not recorded).</summary>
    public long ParametersDense { get; init; }

    /// <summary>Trainable parameters.</summary>
    public long Parameters { get; init; }

    /// <summary>Non-zero trainable parameters.</summary>
    public long NonZeroParameters { get; init; }

    /// <summary>Compressed size (bitmask + non-zeros, deflate); dense float32 size for dense runs.</summary>
    public long Bytes { get; init; }

    /// <summary>Epochs the result cost: all its phases, plus the trained model's epochs when it pruned one.</summary>
    public int Epochs { get; init; }

    /// <summary>Wall time of the run's last invocation.</summary>
    public double Seconds { get; init; }

    /// <summary>Per-layer sparsity (empty for dense runs).</summary>
    public IReadOnlyList<LayerPoint> Layers { get; init; } = [];

    /// <summary>Per-epoch curves of every phase.</summary>
    public IReadOnlyList<CurvePoint> Curve { get; init; } = [];

    /// <summary>Where it ran.</summary>
    public RunEnvironment? Environment { get; init; }
}
