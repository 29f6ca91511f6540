using System.Text.Json;
using System.Text.Json.Nodes;
using Shear.Masks;
using Shear.Experiments.Benchmarks;
using Shear.Experiments.Runs;
using Shear.Pruning.Methods;
using Shear.Training;
using Shear.Settings;

namespace Shear.Experiments.Results;

/// <summary>Finds and reads finished runs: every <c>result.json</c> under a folder (phase folders excluded).</summary>
public static class ResultFiles
{
    /// <summary>Marker a sweep writes into each run folder: experiment name and run id.</summary>
    public const string RunMarker = "run.json";

    /// <summary>Every finished run under <paramref name="root"/>, ordered by path.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">A result file is malformed; the message names it.</exception>
    public static IReadOnlyList<ResultRecord> Scan(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"{root}: no such results folder");
        }
        return [.. Directory.EnumerateFiles(root, TrainingRun.ResultFile, SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Contains("phases"))
            .Order(StringComparer.Ordinal)
            .Select(Read)];
    }

    /// <summary>Reads one <c>result.json</c>.</summary>
    public static ResultRecord Read(string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var (experiment, id) = Marker(folder);
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            string command = json["command"]!.GetValue<string>();
            var record = command == "prune"
                ? FromPruning(PruningResult.Migrate(json).Deserialize<PruningResult>(RunResult.JsonOptions)!, folder)
                : FromTraining(json.Deserialize<RunResult>(RunResult.JsonOptions)!);
            var (latency, batch) = Latency(folder);
            return record with { Id = id ?? Path.GetFileName(folder), Path = folder, Experiment = experiment ?? "", LatencyMs = latency, LatencyBatch = batch };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or NullReferenceException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not a Shear result file ({e.Message})", e);
        }
    }

    private static (string? Experiment, string? Id) Marker(string folder)
    {
        string marker = Path.Combine(folder, RunMarker);
        if (!File.Exists(marker))
        {
            return (null, null);
        }
        using var document = JsonDocument.Parse(File.ReadAllText(marker));
        return (document.RootElement.GetProperty("experiment").GetString(), document.RootElement.GetProperty("id").GetString());
    }

    /// <summary>A run folder's <c>bench.json</c>, as <c>shear bench infer --json</c> writes it.</summary>
    public const string BenchFile = "bench.json";

    // The run's model in ONNX Runtime on the fewest threads at the largest batch the benchmark timed (schema 2 on,
    // whose figures carry their thread count).
    private static (double? Ms, int? Batch) Latency(string folder)
    {
        string path = Path.Combine(folder, BenchFile);
        var figures = File.Exists(path) && JsonNode.Parse(File.ReadAllText(path))?["figures"] is JsonArray list
            ? list.Deserialize<List<LatencyFigure>>(RunResult.JsonOptions)!.Where(f => f is { Model: "model", Runtime: "onnxruntime", Threads: > 0 }).ToList()
            : [];
        var best = figures.OrderBy(f => f.Threads).ThenByDescending(f => f.Batch).FirstOrDefault();
        return best is null ? (null, null) : (best.MedianMs, best.Batch);
    }

    private static ResultRecord FromTraining(RunResult r) => new()
    {
        Id = "", Path = "", Command = "train", Model = r.Model.Key, Data = r.Data.Name, Method = ResultRecord.Dense,
        Seed = r.Recipe.Seed, Top1 = r.Final.TestAccuracy, Top5 = r.Final.TestTop5, MacsDense = r.Macs, MacsEffective = r.Macs, MacsExecuted = r.Macs,
        Parameters = r.Parameters, NonZeroParameters = r.Parameters, ParametersDense = r.Parameters, Bytes = r.Parameters * 4, Epochs = r.History.Count,
        TrainImages = r.Data.Train, TestImages = r.Data.Test,
        Seconds = r.Seconds, Curve = Curve("train", r.History), Environment = r.Environment,
    };

    private static ResultRecord FromPruning(PruningResult r, string folder) => new()
    {
        Id = "", Path = "", Command = "prune", Model = r.Model.Key, Data = r.Data.Name, Method = r.Method,
        Target = Target(r), Variant = Variant(r.Method, r.Request), Sparsity = r.Sparsity.Sparsity, Seed = r.Request.Training.Seed,
        Top1 = r.Test.Top1, Top5 = r.Test.Top5, MacsEffective = r.Sparsity.MacsEffective, MacsExecuted = r.Sparsity.MacsExecuted,
        // Dense MACs are the model's before pruning: a compacted model executes fewer than it started with.
        MacsDense = r.Compaction?.MacsBefore ?? r.Sparsity.MacsExecuted,
        Parameters = r.Sparsity.Parameters, NonZeroParameters = r.Sparsity.NonZeroParameters, Bytes = r.Sparsity.CompressedBytes,
        Compacted = r.Compaction is not null, ParametersDense = r.Compaction?.ParametersBefore ?? r.Sparsity.Parameters,
        TrainImages = r.Data.Train, TestImages = r.Data.Test,
        Epochs = r.TotalEpochs + TrainedEpochs(r.StartedFrom, folder), Seconds = r.Seconds,
        Layers = [.. r.Sparsity.Layers.Where(l => l.Counted).Select(l => new LayerPoint(l.Name, l.Sparsity))],
        Curve = [.. r.Phases.SelectMany(p => Curve(p.Name, p.History))], Environment = r.Environment,
        Top1BeforePruning = r.DenseTest?.Top1,
        // Without a fine-tune phase the final model is the pruned one.
        Top1BeforeFinetune = r.PrunedTest?.Top1 ?? (r.Request.FinetuneEpochs == 0 ? r.Test.Top1 : null),
    };

    // Request settings that make another row of one method when changed: its fine-tune rate and global or per-layer
    // ranking (the target and the fine-tune epochs are the row's target and budget already).
    private static readonly ISetting<PruningRequest>[] _rowSettings = [RequestSettings.FinetuneLearningRate, RequestSettings.Selection];

    private static string? Variant(string method, PruningRequest request)
    {
        var defaults = new PruningRequest();
        var changed = MethodSettings.ReadBy(method, request.Method).Where(s => s.Show(request.Method) != s.Show(MethodOptions.Reference))
            .Select(s => $"{s.Key}={s.Show(request.Method)}")
            .Concat(_rowSettings.Where(s => s.Show(request) != s.Show(defaults)).Select(s => $"{s.Key}={s.Show(request)}")).ToList();
        return changed.Count == 0 ? null : string.Join(", ", changed);
    }

    // result.json stores an automatic target as sparsity 0; the registry says which methods choose their own.
    private static SparsityTarget Target(PruningResult r) =>
        PruningMethods.All.FirstOrDefault(m => m.Key == r.Method)?.ChoosesSparsity == true ? SparsityTarget.Automatic : r.Request.Target;

    // A run that pruned a trained model (--from, or a sweep's shared dense run) also cost that model's epochs. The
    // folder is stored as given, often relative to where the run was started; read elsewhere, a sibling of the run
    // folder by that name (where sweeps put their dense runs) is the same run.
    private static int TrainedEpochs(string? from, string folder)
    {
        if (from is null)
        {
            return 0;
        }
        string? path = new[] { from, Path.Combine(Path.GetDirectoryName(folder) ?? "", Path.GetFileName(Path.TrimEndingDirectorySeparator(from))) }
            .Select(f => Path.Combine(f, TrainingRun.ResultFile)).FirstOrDefault(File.Exists);
        if (path is null)
        {
            return 0;
        }
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.TryGetProperty("history", out var history) ? history.GetArrayLength() : 0;
    }

    private static CurvePoint[] Curve(string phase, IReadOnlyList<EpochRecord> history) =>
        [.. history.Select(e => new CurvePoint(phase, e.Epoch, e.TrainLoss, e.TestAccuracy))];
}
