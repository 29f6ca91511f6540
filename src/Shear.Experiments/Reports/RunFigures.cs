using ScottPlot;
using ScottPlot.TickGenerators;
using Shear.Experiments.Results;
using Shear.Masks;

namespace Shear.Experiments.Reports;

/// <summary>The figures drawn from individual runs at the chosen sparsity: per-layer sparsity and training curves.</summary>
internal static class RunFigures
{
    /// <summary>Grouped bars: each layer's sparsity (%) per method at <paramref name="sparsity"/>, mean over seeds.</summary>
    public static ReportFigure? Layers(string model, IReadOnlyList<ResultRecord> records, double sparsity, ReportStyle style)
    {
        var methods = records.Where(r => !r.IsDense && r.Layers.Count > 0 && ReportAggregation.Target(r) == sparsity)
            .GroupBy(style.Label).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (methods.Count == 0)
        {
            return null;
        }
        string[] layers = [.. methods.SelectMany(g => g.SelectMany(r => r.Layers.Select(l => l.Layer))).Distinct()];
        string target = SparsityTarget.Percent(sparsity);
        var plot = ReportStyle.NewPlot($"{model}: per-layer sparsity at {target} target (mean over seeds)", "Layer", "Layer sparsity (%)");
        double width = 0.8 / methods.Count;
        for (int m = 0; m < methods.Count; m++)
        {
            var color = style.ColorOf(methods[m].Key);
            var bars = layers.Select((layer, i) => new Bar
            {
                Position = i + (m - (methods.Count - 1) / 2.0) * width,
                Value = 100 * methods[m].Average(r => r.Layers.FirstOrDefault(l => l.Layer == layer)?.Sparsity ?? 0),
                Size = width * 0.92,
                FillColor = color,
                LineWidth = 0,
            });
            plot.Add.Bars(bars.ToArray()).LegendText = methods[m].Key;
        }
        var line = plot.Add.HorizontalLine(sparsity * 100, 1.5f, Colors.Gray, LinePattern.Dashed);
        line.LegendText = $"target {target}";
        plot.Axes.Bottom.SetTicks([.. layers.Select((_, i) => (double)i)], layers);
        if (layers.Length > 6 || layers.Any(l => l.Length > 12))
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 40;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.MinimumSize = 20 + 7.5f * layers.Max(l => l.Length);
        }
        plot.Axes.Left.TickGenerator = new NumericFixedInterval(10);
        plot.Axes.SetLimits(-0.6, layers.Length - 0.4, 0, 105);
        plot.ShowLegend(Edge.Right);
        return new ReportFigure(model, FigureKind.Layers,
            $"{model}: fraction of each layer's weights removed at {target} target sparsity, averaged over seeds; the dashed line is the global target.",
            plot, Width: Math.Max(1000, 200 + 90 * layers.Length));
    }

    /// <summary>
    /// Test accuracy (%) per epoch across every phase, seed 1 (or the lowest seed) of each method, plus dense drawn last
    /// and dashed: methods that prune after training share the dense run's first phase, which would hide it.
    /// </summary>
    public static ReportFigure? Curves(string model, IReadOnlyList<ResultRecord> records, double sparsity, ReportStyle style)
    {
        var runs = records.Where(r => r.Curve.Count > 0 && (r.IsDense || ReportAggregation.Target(r) == sparsity))
            .GroupBy(style.Label)
            .OrderBy(g => g.First().IsDense ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(ReportAggregation.Representative).ToList();
        if (!runs.Any(r => !r.IsDense))
        {
            return null;
        }
        string target = SparsityTarget.Percent(sparsity);
        var plot = ReportStyle.NewPlot($"{model}: test accuracy per epoch at {target} sparsity", "Epoch (all phases, consecutive)", "Test top-1 (%)");
        foreach (var run in runs)
        {
            double[] xs = [.. Enumerable.Range(1, run.Curve.Count).Select(i => (double)i)];
            double[] ys = [.. run.Curve.Select(p => p.TestAccuracy * 100)];
            var scatter = plot.Add.Scatter(xs, ys, style.ColorOf(style.Label(run)));
            scatter.LineWidth = 2;
            scatter.MarkerSize = 6;
            scatter.LinePattern = run.IsDense ? LinePattern.Dashed : LinePattern.Solid;
            scatter.LegendText = $"{style.Label(run)} (seed {run.Seed}: {Phases(run)})";
        }
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true, TargetTickCount = 10 };
        plot.ShowLegend(Edge.Bottom);
        return new ReportFigure(model, FigureKind.Curves,
            $"{model}: test top-1 after every epoch of every phase (epochs numbered consecutively across phases), one run per method at {target} target sparsity, with the dense run.",
            plot);
    }

    /// <summary>The phases of a run with their epoch ranges, e.g. <c>train 1-3, finetune 4-5</c>.</summary>
    internal static string Phases(ResultRecord run)
    {
        var parts = new List<string>();
        int start = 1;
        foreach (var phase in Runs(run.Curve.Select(p => p.Phase)))
        {
            int end = start + phase.Count - 1;
            parts.Add(end == start ? $"{phase.Name} {start}" : $"{phase.Name} {start}-{end}");
            start = end + 1;
        }
        return string.Join(", ", parts);
    }

    private static IEnumerable<(string Name, int Count)> Runs(IEnumerable<string> phases)
    {
        string? current = null;
        int count = 0;
        foreach (string phase in phases)
        {
            if (phase == current)
            {
                count++;
                continue;
            }
            if (current is not null)
            {
                yield return (current, count);
            }
            (current, count) = (phase, 1);
        }
        if (current is not null)
        {
            yield return (current, count);
        }
    }
}
