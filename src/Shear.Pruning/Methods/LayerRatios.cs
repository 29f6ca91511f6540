using System.Globalization;

namespace Shear.Pruning.Methods;

/// <summary>Per-layer pruning ratios, <c>conv1=0.3,layer1.0.conv1=0.5</c>: parsed once, where the setting is read,
/// and kept with the text as written, which result files and run ids store. Equal when their texts are.</summary>
public sealed class LayerRatios : IEquatable<LayerRatios>
{
    private readonly Dictionary<string, double> _ratios;

    private LayerRatios(string text, Dictionary<string, double> ratios) => (Text, _ratios) = (text, ratios);

    /// <summary>The text as written.</summary>
    public string Text { get; }

    /// <summary>Each listed layer's ratio (a layer listed twice keeps its last).</summary>
    public IReadOnlyDictionary<string, double> Ratios => _ratios;

    /// <summary>Parses <c>layer=ratio,…</c> with every ratio in [0, 1).</summary>
    /// <exception cref="FormatException">A malformed entry or a ratio out of range; the message quotes the entry
    /// and leaves naming the flag or key to the caller.</exception>
    public static LayerRatios Parse(string text)
    {
        var ratios = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            ratios[parts[0]] = parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double r) && r is >= 0 and < 1
                ? r : throw new FormatException($"'{entry}' is not layer=ratio with a ratio in [0, 1)");
        }
        return new LayerRatios(text, ratios);
    }

    /// <inheritdoc/>
    public bool Equals(LayerRatios? other) => other is not null && Text == other.Text;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LayerRatios);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
