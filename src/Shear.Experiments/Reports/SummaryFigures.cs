using ScottPlot;
using ScottPlot.TickGenerators;
using Shear.Experiments.Results;

namespace Shear.Experiments.Reports;

/// <summary>The figures drawn from the aggregated rows: accuracy vs sparsity, vs effective MACs and vs measured
/// latency.</summary>
internal static class SummaryFigures
{
    /// <summary>Test top-1 (%) vs target sparsity (%), mean ± std over seeds per method; dense mean as a dashed line.
    /// Automatic and matched rows stand at the sparsity they reached (<see cref="ReportAggregation.SparsityAxis"/>).</summary>
    public static ReportFigure? Accuracy(string model, IReadOnlyList<SummaryRow> rows, ReportStyle style)
    {
        var pruned = rows.Where(r => !r.IsDense).ToList();
        if (pruned.Count == 0)
        {
            return null;
        }
        var plot = ReportStyle.NewPlot($"{model}: test top-1 vs sparsity (mean ± std over seeds)", "Target sparsity (%)", "Test top-1 (%)");
        foreach (var method in pruned.GroupBy(style.Label))
        {
            var ordered = method.OrderBy(ReportAggregation.SparsityAxis).ToList();
            double[] xs = [.. ordered.Select(r => ReportAggregation.SparsityAxis(r) * 100)];
            AddSeries(plot, xs, ordered, style.ColorOf(method.Key), method.Key);
        }
        if (rows.FirstOrDefault(r => r.IsDense) is { } dense)
        {
            var line = plot.Add.HorizontalLine(dense.Top1.Mean * 100, 1.5f, Colors.Black, LinePattern.Dashed);
            line.LegendText = $"dense: {ReportFormat.Percent(dense.Top1, withCount: true)}";
        }
        // A sweep of one or two close targets would otherwise get an axis a fraction of a percent wide.
        double low = pruned.Min(ReportAggregation.SparsityAxis) * 100;
        double high = pruned.Max(ReportAggregation.SparsityAxis) * 100;
        double pad = Math.Max(5, (high - low) * 0.05);
        plot.Axes.SetLimitsX(low - pad, high + pad);
        plot.ShowLegend(Edge.Right);
        return new ReportFigure(model, FigureKind.Accuracy,
            $"{model}: test top-1 against target sparsity; points are means over seeds, bars ± one sample standard deviation, the dashed line the dense mean.", plot);
    }

    /// <summary>Test top-1 (%) vs effective MACs per image on a log axis, one line per method, dense as a square.</summary>
    public static ReportFigure? Macs(string model, IReadOnlyList<SummaryRow> rows, ReportStyle style)
    {
        var usable = rows.Where(r => r.MacsEffective.Mean > 0).ToList();
        if (!usable.Any(r => !r.IsDense))
        {
            return null;
        }
        var plot = ReportStyle.NewPlot($"{model}: test top-1 vs effective MACs", "Effective MACs per image (log scale)", "Test top-1 (%)");
        foreach (var method in usable.GroupBy(style.Label))
        {
            var ordered = method.OrderBy(r => r.MacsEffective.Mean).ToList();
            double[] xs = [.. ordered.Select(r => Math.Log10(r.MacsEffective.Mean))];
            var scatter = AddSeries(plot, xs, ordered, style.ColorOf(method.Key), method.Key);
            if (ordered.All(r => r.IsDense))
            {
                scatter.MarkerShape = MarkerShape.FilledSquare;
                scatter.MarkerSize = 11;
            }
        }
        double low = usable.Min(r => Math.Log10(r.MacsEffective.Mean));
        double high = usable.Max(r => Math.Log10(r.MacsEffective.Mean));
        double pad = Math.Max(0.08, (high - low) * 0.06);
        plot.Axes.Bottom.TickGenerator = LogTicks(low - pad, high + pad);
        plot.Axes.SetLimitsX(low - pad, high + pad);
        plot.ShowLegend(Edge.Right);
        return new ReportFigure(model, FigureKind.Macs,
            $"{model}: test top-1 against effective MACs per image (MACs that touch non-zero weights), log scale; means over seeds ± one standard deviation.", plot);
    }

    /// <summary>Test top-1 (%) vs ONNX Runtime latency of the saved models (ms per batch, one thread), one line per
    /// method, the dense mean as a dashed line; only rows whose runs were benchmarked (a <c>bench.json</c> in each run
    /// folder). Null when none were.</summary>
    public static ReportFigure? Latency(string model, IReadOnlyList<SummaryRow> rows, ReportStyle style)
    {
        var timed = rows.Where(r => !r.IsDense && r.LatencyMs is not null).ToList();
        if (timed.Count == 0)
        {
            return null;
        }
        string batches = string.Join(", ", timed.Select(r => r.LatencyBatch).Distinct().Order());
        var plot = ReportStyle.NewPlot($"{model}: test top-1 vs ONNX Runtime latency", $"ONNX Runtime ms per batch of {batches}, 1 thread", "Test top-1 (%)");
        foreach (var method in timed.GroupBy(style.Label))
        {
            var ordered = method.OrderBy(r => r.LatencyMs!.Mean).ToList();
            AddSeries(plot, [.. ordered.Select(r => r.LatencyMs!.Mean)], ordered, style.ColorOf(method.Key), method.Key);
        }
        if (rows.FirstOrDefault(r => r.IsDense) is { } dense)
        {
            var line = plot.Add.HorizontalLine(dense.Top1.Mean * 100, 1.5f, Colors.Black, LinePattern.Dashed);
            line.LegendText = $"dense: {ReportFormat.Percent(dense.Top1, withCount: true)}";
        }
        plot.ShowLegend(Edge.Right);
        return new ReportFigure(model, FigureKind.Latency,
            $"{model}: test top-1 against the saved models' measured ONNX Runtime latency (shear bench infer, one thread); means over seeds ± one standard deviation.", plot);
    }

    /// <summary>
    /// Ticks for a log10 axis between <paramref name="low"/> and <paramref name="high"/>: 1-2-5 labelled per decade,
    /// every integer multiple labelled on a narrow axis, and three evenly spaced labels when even that gives fewer than two.
    /// </summary>
    internal static NumericManual LogTicks(double low, double high)
    {
        bool narrow = high - low < Math.Log10(5);
        var positions = new List<(double Position, bool Major)>();
        for (int decade = (int)Math.Floor(low); decade <= (int)Math.Ceiling(high); decade++)
        {
            for (int m = 1; m <= 9; m++)
            {
                double position = decade + Math.Log10(m);
                if (position >= low && position <= high)
                {
                    positions.Add((position, narrow || m is 1 or 2 or 5));
                }
            }
        }
        if (positions.Count(p => p.Major) < 2)
        {
            positions = [.. Enumerable.Range(1, 3).Select(i => (low + (high - low) * i / 4, true))];
        }
        var ticks = new NumericManual();
        foreach (var (position, major) in positions)
        {
            if (major)
            {
                ticks.AddMajor(position, ReportFormat.Si(Math.Pow(10, position)));
            }
            else
            {
                ticks.AddMinor(position);
            }
        }
        return ticks;
    }

    private static ScottPlot.Plottables.Scatter AddSeries(Plot plot, double[] xs, IReadOnlyList<SummaryRow> rows, Color color, string label)
    {
        double[] ys = [.. rows.Select(r => r.Top1.Mean * 100)];
        double[] errors = [.. rows.Select(r => (ReportFormat.Spread(r.Top1) ?? 0) * 100)];
        var bars = plot.Add.ErrorBar(xs, ys, errors);
        bars.Color = color;
        bars.LineWidth = 1.5f;
        var scatter = plot.Add.Scatter(xs, ys, color);
        scatter.LineWidth = 2;
        scatter.MarkerSize = 8;
        scatter.LegendText = label;
        return scatter;
    }
}
