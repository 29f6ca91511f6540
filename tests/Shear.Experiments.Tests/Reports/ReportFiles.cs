using System.Buffers.Binary;
using System.Text.RegularExpressions;

namespace Shear.Experiments.Reports;

/// <summary>Checks on the files a report consists of.</summary>
internal static partial class ReportFiles
{
    private static readonly byte[] _pngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Whether <paramref name="path"/> starts with the PNG signature.</summary>
    public static bool IsPng(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return bytes.Length > 24 && bytes.AsSpan(0, 8).SequenceEqual(_pngSignature);
    }

    /// <summary>Width and height from a PNG's IHDR chunk.</summary>
    public static (int Width, int Height) PngSize(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    /// <summary>Every relative <c>src</c> and <c>href</c> target of an HTML page (in-page anchors excluded).</summary>
    public static IReadOnlyList<string> LocalLinks(string html) =>
        [.. Link().Matches(html).Select(m => m.Groups[1].Value).Where(v => !v.StartsWith('#'))];

    /// <summary>Every <c>img</c> source of an HTML page.</summary>
    public static IReadOnlyList<string> Images(string html) => [.. Image().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("(?:src|href)=\"([^\"]*)\"")]
    private static partial Regex Link();

    [GeneratedRegex("<img [^>]*src=\"([^\"]*)\"")]
    private static partial Regex Image();
}
