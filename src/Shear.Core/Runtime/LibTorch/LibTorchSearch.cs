using System.Reflection;
using TorchSharp;

namespace Shear.Runtime.LibTorch;

/// <summary>
/// Everything <see cref="LibTorchLocator"/> reads from the machine, gathered in one place so that tests can point
/// each source at a fake folder.
/// </summary>
/// <param name="Version">The libtorch version TorchSharp's glue needs.</param>
/// <param name="Rid">This platform's runtime identifier.</param>
/// <param name="ApplicationFolders">Where the application's own native files are (an app that references a libtorch package).</param>
/// <param name="EnvironmentFolder">The value of <see cref="EnvironmentVariable"/>, when set.</param>
/// <param name="SetupRecordFile">Where <c>shear setup</c> records its choice.</param>
/// <param name="NuGetPackagesFolder">The NuGet global packages folder.</param>
/// <param name="PythonSitePackages">Python package folders that may hold a <c>torch</c> package.</param>
public sealed record LibTorchSearch(
    string Version, string Rid, IReadOnlyList<string> ApplicationFolders, string? EnvironmentFolder,
    string SetupRecordFile, string NuGetPackagesFolder, IReadOnlyList<string> PythonSitePackages)
{
    /// <summary>Names a libtorch folder to use ahead of every other source.</summary>
    public const string EnvironmentVariable = "SHEAR_LIBTORCH";

    /// <summary>The sources of this process and user.</summary>
    public static LibTorchSearch Current() => new(
        LibTorchFlavours.Version,
        LibTorchFlavours.CurrentRid,
        ApplicationFoldersOf(typeof(torch).Assembly),
        NonEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)),
        LibTorchSetupRecord.DefaultFile(),
        NuGetPackagesFolderOfUser(),
        PythonSitePackagesOfUser());

    /// <summary>The NuGet global packages folder: <c>$NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</summary>
    public static string NuGetPackagesFolderOfUser() =>
        NonEmpty(Environment.GetEnvironmentVariable("NUGET_PACKAGES"))
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static List<string> ApplicationFoldersOf(Assembly assembly) =>
        [.. NativeLibraryLocator.ProbingDirectories(assembly).Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))).Distinct(StringComparer.Ordinal)];

    // Where pip, a virtual environment, conda and Debian put Python packages; no Python is started to ask.
    private static List<string> PythonSitePackagesOfUser()
    {
        var roots = new List<string>();
        foreach (string? prefix in new[] { Environment.GetEnvironmentVariable("VIRTUAL_ENV"), Environment.GetEnvironmentVariable("CONDA_PREFIX") })
        {
            if (!string.IsNullOrEmpty(prefix))
            {
                roots.AddRange(Versioned(Path.Combine(prefix, "lib"), "site-packages"));
                roots.Add(Path.Combine(prefix, "Lib", "site-packages"));
            }
        }
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        roots.AddRange(Versioned(Path.Combine(home, ".local", "lib"), "site-packages"));
        roots.AddRange(Versioned("/usr/local/lib", "dist-packages"));
        roots.AddRange(Versioned("/usr/local/lib", "site-packages"));
        roots.Add("/usr/lib/python3/dist-packages");
        roots.AddRange(Versioned("/usr/lib", "site-packages"));
        return roots.Where(Directory.Exists).Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Versioned(string lib, string leaf) =>
        Directory.Exists(lib)
            ? Directory.EnumerateDirectories(lib, "python3*").Order(StringComparer.Ordinal).Select(d => Path.Combine(d, leaf))
            : [];

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
