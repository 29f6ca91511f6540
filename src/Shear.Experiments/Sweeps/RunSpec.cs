using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Shear.Experiments.Runs;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Training;

namespace Shear.Experiments.Sweeps;

/// <summary>One run of a sweep: a dense training (<see cref="Method"/> null) or a pruning cell of the matrix.</summary>
/// <param name="Id">12 hex digits of the SHA-256 of the resolved settings (the canonical JSON of this spec minus the id).</param>
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
    /// <summary>The run's seed.</summary>
    public long Seed => Training.Seed;

    /// <summary>A dense training spec.</summary>
    public static RunSpec Dense(ModelCard card, string data, TrainingOptions training) =>
        WithId(new RunSpec("", "", card, data, training, null, null, null), $"dense-seed{training.Seed}");

    /// <summary>A pruning spec.</summary>
    public static RunSpec Prune(ModelCard card, string data, string method, PruningRequest request, string? denseId) =>
        WithId(new RunSpec("", "", card, data, request.Training, method, request, denseId),
            string.Create(CultureInfo.InvariantCulture, $"{method}-s{request.Sparsity}-seed{request.Training.Seed}"));

    private static RunSpec WithId(RunSpec spec, string prefix)
    {
        string canonical = JsonSerializer.Serialize(spec, RunResult.JsonOptions);
        string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..12];
        return spec with { Id = id, Folder = $"{prefix}-{id}" };
    }
}
