using System.Globalization;
using Shear.Experiments.Results;

namespace Shear.Experiments.Reports;

/// <summary>How numbers read in the rendered report: fractions as percent, MACs with SI prefixes, invariant culture.</summary>
internal static class ReportFormat
{
    private static readonly (double Scale, string Prefix)[] _prefixes = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];

    /// <summary>A fraction summary in percent: <c>91.23 ± 0.45 % (n=3)</c>; a single value has no spread.</summary>
    public static string Percent(SummaryStatistic s, bool withCount) =>
        (Spread(s) is double std ? $"{Number(s.Mean * 100, "F2")} ± {Number(std * 100, "F2")} %" : $"{Number(s.Mean * 100, "F2")} %")
        + (withCount ? $" (n={s.N})" : "");

    /// <summary>A MAC-count summary with one SI prefix and three significant digits: <c>1.23 ± 0.01 M</c>, <c>402 ± 1 k</c>.</summary>
    public static string Macs(SummaryStatistic s)
    {
        var (scale, prefix) = Prefix(s.Mean);
        double mean = s.Mean / scale;
        string format = Math.Abs(mean) >= 100 ? "F0" : Math.Abs(mean) >= 10 ? "F1" : "F2";
        string text = Spread(s) is double std ? $"{Number(mean, format)} ± {Number(std / scale, format)}" : Number(mean, format);
        return $"{text} {prefix}".TrimEnd();
    }

    /// <summary>The standard deviation to show: none for a single run, whose 0 would claim a spread was measured.</summary>
    public static double? Spread(SummaryStatistic s) => s.N < 2 ? null : s.Std;

    /// <summary>A count with an SI prefix: <c>2.5 M</c>.</summary>
    public static string Si(double value)
    {
        var (scale, prefix) = Prefix(value);
        return $"{Number(value / scale, "0.##")} {prefix}".TrimEnd();
    }

    /// <summary>A plain summary: <c>5 ± 0</c>.</summary>
    public static string Plain(SummaryStatistic s) =>
        Spread(s) is double std ? $"{Number(s.Mean, "0.##")} ± {Number(std, "0.##")}" : Number(s.Mean, "0.##");

    /// <summary>An invariant-culture number.</summary>
    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// One line per distinct environment the runs were produced in, with how many runs each: the footer of the HTML
    /// and Markdown reports.
    /// </summary>
    public static IReadOnlyList<string> Environments(IReadOnlyList<ResultRecord> records) =>
        [.. records.GroupBy(r => r.Environment is { } e
                ? $"Shear {e.ShearVersion}, TorchSharp {e.TorchSharpVersion}{(e.LibTorchVersion is null ? "" : $" (libtorch {e.LibTorchVersion})")}, {e.Threads} threads, device {e.Device}, OS {e.Os}, CPU {e.Cpu}"
                : "environment not recorded")
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ({g.Count()} {(g.Count() == 1 ? "run" : "runs")})")];

    /// <summary>A model key made safe for a file name.</summary>
    public static string Slug(string text) =>
        new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);

    private static (double Scale, string Prefix) Prefix(double value)
    {
        foreach (var p in _prefixes)
        {
            if (Math.Abs(value) >= p.Scale)
            {
                return p;
            }
        }
        return (1, "");
    }
}
