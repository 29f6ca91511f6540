using System.Text.Json;

namespace Shear.Experiments.Reports;

/// <summary>Renders <c>report.json</c>: the aggregated numbers behind the tables and figures (fractions, not percent).</summary>
internal static class ReportJson
{
    /// <summary>Version of the document layout; bump it when a field changes meaning. 2: rows are
    /// <c>shear results compare</c>'s groups (method with its variant, experiment, target label); a single run's
    /// std is 0, not null.</summary>
    public const int Schema = 2;

    private static readonly JsonSerializerOptions _options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The JSON text.</summary>
    public static string Render(ReportData data) => JsonSerializer.Serialize(new
    {
        schema = Schema,
        title = data.Title,
        runs = data.Records.Count,
        sparsity = data.Sparsity,
        rows = data.Rows.Select(r => new
        {
            experiment = r.Experiment,
            model = r.Model,
            method = r.Method,
            targetSparsity = r.TargetSparsity,
            targetLabel = r.TargetLabel,
            seeds = r.Seeds,
            top1 = r.Top1,
            sparsity = r.Sparsity,
            macsEffective = r.MacsEffective,
            macsDense = r.MacsDense,
            epochs = r.Epochs,
            latencyMs = r.LatencyMs,
            latencyBatch = r.LatencyBatch,
        }),
        figures = data.Figures.Select(f => new { model = f.Model, kind = f.Kind.ToString().ToLowerInvariant(), png = f.Png, svg = f.Svg }),
        environments = data.Environments,
    }, _options);
}
