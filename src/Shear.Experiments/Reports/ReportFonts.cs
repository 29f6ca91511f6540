using ScottPlot;

namespace Shear.Experiments.Reports;

/// <summary>
/// Makes figure text render on Linux. SkiaSharp 4.x's <c>NativeAssets.Linux.NoDependencies</c> build (the one Shear
/// pins) has an empty font manager, so every font lookup yields a glyph-less typeface and ScottPlot draws no text at all
/// (mono/SkiaSharp#4303; 3.119 scanned /usr/share/fonts). Loading a font file by path still works, so when the platform
/// default has no glyphs we register a common sans-serif file under <see cref="Family"/> and set it on every plot.
/// </summary>
internal static class ReportFonts
{
    /// <summary>The family name figures use when a font file had to be registered.</summary>
    public const string Family = "Shear Sans";

    private static readonly string[] _folders = ["/usr/share/fonts", "/usr/local/share/fonts"];

    private static readonly (string Regular, string Bold)[] _candidates =
    [
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
        ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
        ("FreeSans.ttf", "FreeSansBold.ttf"),
    ];

    private static readonly Lazy<FontState> _state = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether figures will show text (false: no usable font on this machine).</summary>
    public static bool TextRenders => _state.Value != FontState.Missing;

    /// <summary>Applies the registered font to <paramref name="plot"/>, where one was needed.</summary>
    public static void Apply(Plot plot)
    {
        if (_state.Value == FontState.Registered)
        {
            plot.Font.Set(Family);
        }
    }

    private enum FontState { Platform, Registered, Missing }

    private static FontState Resolve()
    {
        if (Fonts.GetTypeface(Fonts.Default, bold: false, italic: false).GlyphCount > 0)
        {
            return FontState.Platform;
        }
        var files = _folders.Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.ttf", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            .ToLookup(Path.GetFileName, StringComparer.Ordinal);
        foreach (var (regular, bold) in _candidates)
        {
            if (files[regular].FirstOrDefault() is string path)
            {
                Fonts.AddFontFile(Family, path, bold: false, italic: false);
                Fonts.AddFontFile(Family, files[bold].FirstOrDefault() ?? path, bold: true, italic: false);
                return FontState.Registered;
            }
        }
        return FontState.Missing;
    }
}
