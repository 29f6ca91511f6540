using System.Text.Json;

namespace Shear.Training;

/// <summary>The JSON conventions of Shear's metrics and results: camelCase names, no indentation in JSON lines.</summary>
public static class MetricsJson
{
    /// <summary>Serializer options for metric records.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
