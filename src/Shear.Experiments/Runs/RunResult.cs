using System.Text.Json;
using System.Text.Json.Serialization;
using Shear.Models;
using Shear.Runtime;
using Shear.Training;

namespace Shear.Experiments.Runs;

/// <summary>What data a run used.</summary>
/// <param name="Name">Short name.</param>
/// <param name="Source">Where it was read from.</param>
/// <param name="Train">Training images.</param>
/// <param name="Test">Test images.</param>
/// <param name="Classes">Class count.</param>
public sealed record DataSummary(string Name, string Source, int Train, int Test, int Classes);

/// <summary>The contract of <c>result.json</c> (schema-versioned: add fields, never rename them).</summary>
/// <param name="Schema">Schema version.</param>
/// <param name="Command">The verb that produced it.</param>
/// <param name="Model">The model card.</param>
/// <param name="Data">The data used.</param>
/// <param name="Recipe">The training recipe.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="Macs">Multiply-accumulates per sample.</param>
/// <param name="Final">The last epoch's figures.</param>
/// <param name="History">Every epoch's figures.</param>
/// <param name="ResumedAtEpoch">0-based epoch a resume continued at, or null.</param>
/// <param name="Seconds">Wall time of this invocation.</param>
/// <param name="Environment">Versions, threads, device.</param>
public sealed record RunResult(
    int Schema,
    string Command,
    ModelCard Model,
    DataSummary Data,
    TrainingOptions Recipe,
    long Parameters,
    long Macs,
    EpochRecord Final,
    IReadOnlyList<EpochRecord> History,
    int? ResumedAtEpoch,
    double Seconds,
    RunEnvironment Environment)
{
    /// <summary>The schema version this build writes.</summary>
    public const int CurrentSchema = 1;

    /// <summary>Serializer options for result files: camelCase, indented, enums as strings.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // NaN marks "not measured" (e.g. a phase of 0 epochs); infinity a ratio over zero.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}
