using ScottPlot;
using ScottPlot.TickGenerators;
using Shear.Experiments.Results;
using Shear.IO;

namespace Shear.Experiments.Reports;

/// <summary>The four kinds of figure a report draws for each model.</summary>
internal enum FigureKind
{
    /// <summary>Test top-1 vs target sparsity, mean ± std per method, dense as a dashed line.</summary>
    Accuracy,

    /// <summary>Test top-1 vs effective MACs (log scale) per method.</summary>
    Macs,

    /// <summary>Test top-1 vs measured ONNX Runtime latency per method, where the runs were benchmarked.</summary>
    Latency,

    /// <summary>Per-layer sparsity bars of each method at the chosen sparsity.</summary>
    Layers,

    /// <summary>Test accuracy per epoch across phases, one run per method.</summary>
    Curves,
}

/// <summary>One drawn figure before it is saved; the writer saves and disposes the plot.</summary>
/// <param name="Model">Zoo key of the model it shows.</param>
/// <param name="Kind">What it shows.</param>
/// <param name="Caption">One sentence for the HTML and Markdown captions.</param>
/// <param name="Plot">The ScottPlot figure.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
internal sealed record ReportFigure(string Model, FigureKind Kind, string Caption, Plot Plot, int Width = 1000, int Height = 560)
{
    /// <summary>Folder of the figure files inside the report folder.</summary>
    public const string Folder = "figures";

    /// <summary>File name without extension, e.g. <c>resnet20-accuracy</c>.</summary>
    public string Name => $"{ReportFormat.Slug(Model)}-{Kind.ToString().ToLowerInvariant()}";

    /// <summary>Relative path of the PNG (forward slashes, for links).</summary>
    public string Png => $"{Folder}/{Name}.png";

    /// <summary>Relative path of the SVG.</summary>
    public string Svg => $"{Folder}/{Name}.svg";

    /// <summary>Writes the PNG and SVG under <paramref name="root"/>, each atomically; returns both absolute paths.</summary>
    public IReadOnlyList<string> Save(string root)
    {
        string png = Path.Combine(root, Png);
        string svg = Path.Combine(root, Svg);
        byte[] bytes = Plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(png, s => s.Write(bytes));
        AtomicFile.WriteAllText(svg, Plot.GetSvgXml(Width, Height));
        return [png, svg];
    }
}

/// <summary>Shared look of the figures: fonts, sizes and one colour per method across every figure.</summary>
internal sealed class ReportStyle
{
    private readonly Dictionary<string, Color> _colors;

    /// <summary>Assigns colours to the methods of <paramref name="rows"/>: dense black, the rest Category10 in
    /// ordinal order of their labels.</summary>
    public ReportStyle(IReadOnlyList<SummaryRow> rows, bool byExperiment)
    {
        ByExperiment = byExperiment;
        var palette = new ScottPlot.Palettes.Category10();
        var pruned = rows.Where(r => !r.IsDense).Select(Label).Distinct().Order(StringComparer.Ordinal).ToList();
        _colors = pruned.Select((m, i) => (m, palette.GetColor(i))).ToDictionary(p => p.m, p => p.Item2, StringComparer.Ordinal);
        foreach (var dense in rows.Where(r => r.IsDense))
        {
            _colors[Label(dense)] = Colors.Black;
        }
    }

    /// <summary>Whether labels name the experiment (the report spans several).</summary>
    public bool ByExperiment { get; }

    /// <summary>The method label of <paramref name="row"/> (see <see cref="ReportAggregation.Label(SummaryRow, bool)"/>).</summary>
    public string Label(SummaryRow row) => ReportAggregation.Label(row, ByExperiment);

    /// <summary>The method label of the row <paramref name="run"/> belongs to.</summary>
    public string Label(ResultRecord run) => ReportAggregation.Label(run, ByExperiment);

    /// <summary>The colour of a method label.</summary>
    public Color ColorOf(string label) => _colors.TryGetValue(label, out var color) ? color : Colors.Gray;

    /// <summary>A fresh plot with title, axis labels and readable font sizes.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        ReportFonts.Apply(plot);
        plot.Title(title, size: 17);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        // ScottPlot's default packs ticks as densely as labels fit (every 0.1 % on a narrow axis); ten read better.
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { TargetTickCount = 10 };
        plot.Axes.Left.TickGenerator = new NumericAutomatic { TargetTickCount = 10 };
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Legend.FontSize = 12;
        return plot;
    }
}
