using System.Globalization;
using System.Text.Json;
using Shear.Export.Safetensors;
using Shear.Graphs;
using Shear.Models;
using static TorchSharp.torch;

namespace Shear.Experiments.Benchmarks;

/// <summary>What the PyTorch peer of <c>shear bench infer</c> (<c>peers/bench_infer.py</c>) reported.</summary>
/// <param name="Python">The interpreter it was run with.</param>
/// <param name="TorchVersion">PyTorch's version; null when the peer did not run.</param>
/// <param name="Problem">Why it gave no figures (Python missing, the script failing, logits unlike Shear's); null when
/// it did.</param>
/// <param name="Checks">For each model, how far PyTorch's logits for a fixed input were from Shear's (checked before
/// timing); empty when the peer did not run.</param>
public sealed record InferencePeerReport(string Python, string? TorchVersion, string? Problem, IReadOnlyList<LogitCheck> Checks);

/// <summary>PyTorch's logits against Shear's for one model on the same fixed input.</summary>
/// <param name="Model">The model's label.</param>
/// <param name="MaxAbsDifference">Largest |PyTorch − Shear| over the logits.</param>
/// <param name="MaxAbsLogit">Largest |logit| of Shear's, the scale the difference is judged against.</param>
public sealed record LogitCheck(string Model, double MaxAbsDifference, double MaxAbsLogit);

/// <summary>
/// Times the benchmark's models in PyTorch eager mode through <c>peers/bench_infer.py</c>: each model is handed over
/// as safetensors (PyTorch's state-dict names) plus its graph, and the script rebuilds it from the graph, so compacted
/// models with any channel counts run too. A fixed input and Shear's logits for it go along; the script times a model
/// only if its logits match.
/// </summary>
internal sealed class InferencePeer(string folder)
{
    /// <summary>The runtime name of the peer's figures.</summary>
    public const string Runtime = "pytorch";

    private const int CheckBatch = 4;
    private const long CheckSeed = 11;

    private readonly List<object> _models = [];

    /// <summary>The script, relative to the repository root (the working directory, as for <c>bench train</c>).</summary>
    public static string Script { get; } = Path.Combine("peers", "bench_infer.py");

    /// <summary>Writes <paramref name="module"/> (in eval mode) for the peer: weights, graph, and its logits for a
    /// seeded input of <paramref name="card"/>'s shape.</summary>
    public void Add(string label, GraphModule module, ModelCard card, Device device)
    {
        string weights = Path.Combine(folder, $"peer-{_models.Count}.safetensors");
        string check = Path.Combine(folder, $"peer-{_models.Count}.check.safetensors");
        ModelSafetensors.Save(module, weights);
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            using var generator = new Generator(CheckSeed);
            var input = randn([CheckBatch, card.Input.Channels, card.Input.Height, card.Input.Width], generator: generator);
            var logits = module.call(input.to(device)).cpu();                // [CheckBatch, classes]
            SafetensorsFile.Write(check, [new("input", input), new("logits", logits)]);
        }
        _models.Add(new { label, graph = module.Graph.Describe(), weights, check });
    }

    /// <summary>Runs the script with <paramref name="python"/> at <paramref name="options"/>' thread counts, batches,
    /// repeats and block length. Never throws for the peer's sake: a failure comes back as the report's problem, with
    /// no figures.</summary>
    public (IReadOnlyList<LatencyFigure> Figures, InferencePeerReport Report) Run(string python, InferenceBenchmarkOptions options)
    {
        string manifest = Path.Combine(folder, "peer-models.json");
        string output = Path.Combine(folder, "peer-figures.json");
        File.WriteAllText(manifest, JsonSerializer.Serialize(new { models = _models }, Runs.RunResult.JsonOptions));
        string? problem = PeerProcess.Run(python, Script,
        [
            "--models", manifest, "--threads", List(options.ThreadCounts), "--batches", List(options.Batches),
            "--repeats", options.Repeats.ToString(CultureInfo.InvariantCulture), "--block-seconds", options.BlockSeconds.ToString("R", CultureInfo.InvariantCulture),
            "--json", output,
        ], output);
        if (problem is not null)
        {
            return ([], new InferencePeerReport(python, null, problem, []));
        }
        try
        {
            return Read(python, File.ReadAllText(output));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return ([], new InferencePeerReport(python, null, $"{Script} wrote unreadable figures: {e.Message}", []));
        }
    }

    private static (IReadOnlyList<LatencyFigure>, InferencePeerReport) Read(string python, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var figures = root.GetProperty("figures").EnumerateArray().Select(f => new LatencyFigure(
            f.GetProperty("model").GetString()!, Runtime, f.GetProperty("threads").GetInt32(), f.GetProperty("batch").GetInt32(),
            f.GetProperty("median_ms").GetDouble(), f.GetProperty("min_ms").GetDouble(), f.GetProperty("max_ms").GetDouble())).ToList();
        var checks = root.GetProperty("checks").EnumerateArray().Select(c => new LogitCheck(
            c.GetProperty("model").GetString()!, c.GetProperty("max_abs_difference").GetDouble(), c.GetProperty("max_abs_logit").GetDouble())).ToList();
        return (figures, new InferencePeerReport(python, root.GetProperty("torch_version").GetString(), null, checks));
    }

    private static string List(IEnumerable<int> values) => string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
