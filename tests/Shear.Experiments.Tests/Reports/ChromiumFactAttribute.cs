using Xunit;

namespace Shear.Experiments.Reports;

/// <summary>
/// A fact that needs Debian's Chromium at <see cref="HeadlessChromium.Executable"/>. CI installs it (<c>.ci/run</c>); on a
/// machine without it the test is skipped, with the reason, rather than failed.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Skips the test when Chromium is absent.</summary>
    public ChromiumFactAttribute()
    {
        if (!File.Exists(HeadlessChromium.Executable))
        {
            Skip = $"needs Chromium at {HeadlessChromium.Executable} (apt-get install chromium; .ci/run installs it as root)";
        }
    }
}
