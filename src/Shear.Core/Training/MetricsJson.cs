using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shear.Training;

/// <summary>The JSON conventions of Shear's metrics and results: camelCase names, no indentation in JSON lines.</summary>
public static class MetricsJson
{
    /// <summary>Serializer options for metric records.</summary>
    /// <remarks>An unstable run can end an epoch with an infinite test loss; it is written as "Infinity" rather than
    /// failing the checkpoint and losing the run.</remarks>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
