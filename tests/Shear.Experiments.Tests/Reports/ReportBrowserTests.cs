using Shear.TestKit;
using Xunit;

namespace Shear.Experiments.Reports;

/// <summary>
/// Opens reports in headless Chromium. Broken figures show up through the page's own image check (its verdict element
/// reads <c>ok N</c> or <c>missing: …</c>), script failures through console lines on Chromium's stderr. The negative
/// control proves both detectors fire.
/// </summary>
public class ReportBrowserTests
{
    [ChromiumFact]
    public void Report_InHeadlessChromium_EveryImageLoadsAndTheConsoleStaysClean()
    {
        using var folder = new TempDirectory();
        var output = ReportWriter.Write([.. SampleRecords.Sweep("mlp"), .. SampleRecords.Sweep("lenet5")],
            new ReportOptions { OutputDirectory = folder.Path, Title = "Browser check" });

        var load = HeadlessChromium.Load(output.Index);

        Assert.Equal("ok 8", HeadlessChromium.ElementText(load.Dom, HtmlReport.ImageCheckId));
        Assert.Empty(load.ConsoleErrors);
    }

    [ChromiumFact]
    public void Report_Screenshot_IsSavedToTheTestResults()
    {
        using var folder = new TempDirectory();
        var output = ReportWriter.Write(SampleRecords.Sweep("mlp"), new ReportOptions { OutputDirectory = folder.Path, Title = "Screenshot" });
        string png = Path.Combine(TestResultsFolder(), "report-screenshot.png");
        File.Delete(png);

        HeadlessChromium.Screenshot(output.Index, png);

        Assert.True(ReportFiles.IsPng(png), $"no screenshot at {png}");
        Assert.Equal((1280, 3000), ReportFiles.PngSize(png));
    }

    [ChromiumFact]
    public void NegativeControl_BrokenImageAndThrownError_AreBothDetected()
    {
        using var folder = new TempDirectory();
        var output = ReportWriter.Write(SampleRecords.Sweep("mlp"), new ReportOptions { OutputDirectory = folder.Path });
        string page = folder.File("broken.html");
        File.WriteAllText(page, $"""
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>negative control</title></head><body>
            <img src="figures/mlp-accuracy.png" alt="present"><img src="figures/no-such-figure.png" alt="missing">
            <p id="{HtmlReport.ImageCheckId}">not checked</p>
            <script>{HtmlReport.ImageCheckScript}</script>
            <script>throw new Error('negative control');</script>
            <script>console.error('negative control logged');</script>
            </body></html>
            """);

        var load = HeadlessChromium.Load(page);

        Assert.True(File.Exists(output.Index));
        Assert.Equal("missing: figures/no-such-figure.png", HeadlessChromium.ElementText(load.Dom, HtmlReport.ImageCheckId));
        Assert.Contains(load.ConsoleErrors, l => l.Contains("Uncaught Error: negative control", StringComparison.Ordinal));
        Assert.Contains(load.ConsoleErrors, l => l.Contains("negative control logged", StringComparison.Ordinal));
    }

    /// <summary><c>artifacts/test-results</c> of the repository the tests run from, else the test output folder.</summary>
    private static string TestResultsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Shear.slnx")))
            {
                return Directory.CreateDirectory(Path.Combine(dir.FullName, "artifacts", "test-results")).FullName;
            }
        }
        return AppContext.BaseDirectory;
    }
}
