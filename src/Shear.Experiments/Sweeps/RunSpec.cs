using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shear.Experiments.Results;
using Shear.Experiments.Runs;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Training;

namespace Shear.Experiments.Sweeps;

/// <summary>One run of a sweep: a dense training (<see cref="Method"/> null) or a pruning cell of the matrix.</summary>
/// <param name="Id">12 hex digits of the SHA-256 of the settings that differ from their defaults (the canonical JSON
/// of this spec minus the id, with every option equal to its default left out, so that adding an option with a
/// default never renames existing runs).</param>
/// <param name="Folder">Folder name inside the experiment folder: readable prefix + id.</param>
/// <param name="Card">The model.</param>
/// <param name="Data">Resolved data name.</param>
/// <param name="Training">Dense recipe (its seed is the run's seed).</param>
/// <param name="Method">Method key, or null for dense training.</param>
/// <param name="Request">The pruning request, or null for dense training.</param>
/// <param name="DenseId">The dense run this one starts from, or null.</param>
public sealed record RunSpec(string Id, string Folder, ModelCard Card, string Data, TrainingOptions Training, string? Method,
    PruningRequest? Request, string? DenseId)
{
    /// <summary>The run whose realised sparsity this one prunes to (a config's <c>sparsity-of</c>), or null. Its
    /// target is pending until that run has finished.</summary>
    public string? MatchId { get; init; }

    /// <summary>The run's seed.</summary>
    public long Seed => Training.Seed;

    /// <summary>A dense training spec.</summary>
    public static RunSpec Dense(ModelCard card, string data, TrainingOptions training) =>
        WithId(new RunSpec("", "", card, data, training, null, null, null), $"{ResultRecord.Dense}-seed{training.Seed}");

    /// <summary>A pruning spec; <paramref name="matchId"/> names the run a pending target copies from.</summary>
    public static RunSpec Prune(ModelCard card, string data, string method, PruningRequest request, string? denseId, string? matchId = null) =>
        WithId(new RunSpec("", "", card, data, request.Training, method, request, denseId) { MatchId = matchId },
            request.Target.IsPending ? $"{method}-as-{request.Target.Source}-seed{request.Training.Seed}"
            // Automatic targets have always been named s0: the folder names and ids of existing sweeps stay.
            : string.Create(CultureInfo.InvariantCulture, $"{method}-s{request.Target.Value ?? 0}-seed{request.Training.Seed}"));

    private static RunSpec WithId(RunSpec spec, string prefix)
    {
        string canonical = Canonical(spec).ToJsonString();
        string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..12];
        return spec with { Id = id, Folder = $"{prefix}-{id}" };
    }

    /// <summary>The spec as JSON with the options that equal their defaults removed.</summary>
    internal static JsonObject Canonical(RunSpec spec)
    {
        // A run that does not read a setting whose default changed hashes it at the template's value, whatever the default.
        if (spec.Request is { } request && spec.Method is string method)
        {
            var read = MethodSettings.ReadBy(method, request.Method);
            var options = ChannelSettings.WithLegacyDefaults.Where(s => !read.Contains(s))
                .Aggregate(request.Method, (o, s) => s.Parse(o, s.Show(IdTemplate.Method)));
            spec = spec with { Request = request with { Method = options } };
        }
        var node = JsonSerializer.SerializeToNode(spec, RunResult.JsonOptions)!.AsObject();
        // Added after ids were first pinned: absent unless used, so that no existing run is renamed.
        if (spec.MatchId is null)
        {
            node.Remove("matchId");
        }
        WithoutDefaults(node["card"]?["options"], JsonSerializer.SerializeToNode(new ModelOptions(), RunResult.JsonOptions));
        WithoutDefaults(node["training"], JsonSerializer.SerializeToNode(new TrainingOptions(), RunResult.JsonOptions));
        WithoutDefaults(node["request"], JsonSerializer.SerializeToNode(IdTemplate, RunResult.JsonOptions));
        return node;
    }

    // The values a spec's id leaves out (see MethodOptions.Reference).
    private static PruningRequest IdTemplate { get; } = new() { Method = MethodOptions.Reference };

    private static void WithoutDefaults(JsonNode? node, JsonNode? defaults)
    {
        if (node is not JsonObject values || defaults is not JsonObject template)
        {
            return;
        }
        foreach (var (key, value) in values.ToList())
        {
            if (!template.TryGetPropertyValue(key, out var fallback))
            {
                continue;
            }
            if (JsonNode.DeepEquals(value, fallback))
            {
                values.Remove(key);
            }
            else
            {
                WithoutDefaults(value, fallback);
            }
        }
    }
}
