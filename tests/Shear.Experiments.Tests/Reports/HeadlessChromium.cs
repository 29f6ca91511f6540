using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Shear.Experiments.Reports;

/// <summary>What headless Chromium made of a page: its DOM after scripts ran, and the console messages it logged.</summary>
/// <param name="Dom">The serialised DOM (<c>--dump-dom</c>) after the virtual-time budget.</param>
/// <param name="ConsoleErrors">Console lines and uncaught exceptions from Chromium's stderr log.</param>
internal sealed record PageLoad(string Dom, IReadOnlyList<string> ConsoleErrors);

/// <summary>Runs Debian's Chromium headless against local files.</summary>
internal static partial class HeadlessChromium
{
    /// <summary>Where Debian's <c>chromium</c> package puts the browser.</summary>
    public const string Executable = "/usr/bin/chromium";

    private static readonly TimeSpan _timeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Loads <paramref name="page"/>, lets it run for 5 s of virtual time and returns the DOM plus every console message
    /// (Chromium logs page console output, errors and uncaught exceptions alike, as <c>INFO:CONSOLE</c> lines on stderr
    /// with <c>--enable-logging=stderr --v=0</c>).
    /// </summary>
    public static PageLoad Load(string page)
    {
        var (stdout, stderr) = Run(["--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom", Url(page)]);
        return new PageLoad(stdout, [.. stderr.Split('\n').Where(IsConsoleError).Select(l => l.Trim())]);
    }

    /// <summary>Saves a 1280 x 3000 screenshot of <paramref name="page"/> to <paramref name="png"/>.</summary>
    public static void Screenshot(string page, string png) =>
        Run([$"--screenshot={png}", "--window-size=1280,3000", "--hide-scrollbars", "--virtual-time-budget=5000", Url(page)]);

    /// <summary>The text of the element with id <paramref name="id"/> in a DOM dump, or null.</summary>
    public static string? ElementText(string dom, string id)
    {
        var match = Regex.Match(dom, $"id=\"{Regex.Escape(id)}\"[^>]*>([^<]*)<", RegexOptions.CultureInvariant);
        return match.Success ? match.Groups[1].Value.Trim() : null;
    }

    private static bool IsConsoleError(string line) => ConsoleLine().IsMatch(line) || line.Contains("Uncaught", StringComparison.Ordinal);

    private static string Url(string page) => new Uri(Path.GetFullPath(page)).AbsoluteUri;

    private static (string Stdout, string Stderr) Run(IEnumerable<string> arguments)
    {
        string profile = Path.Combine(Path.GetTempPath(), "shear-chromium-" + Guid.NewGuid().ToString("N")[..12]);
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(_timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within {_timeout.TotalSeconds} s");
            }
            return (stdout.Result, stderr.Result);
        }
        finally
        {
            DeleteProfile(profile);
        }
    }

    private static void DeleteProfile(string profile)
    {
        try
        {
            if (Directory.Exists(profile))
            {
                Directory.Delete(profile, recursive: true);
            }
        }
        catch (IOException)
        {
            // A helper process may still be closing files in it; it is a temp folder.
        }
    }

    [GeneratedRegex(@":CONSOLE[:(\]]")]
    private static partial Regex ConsoleLine();
}
