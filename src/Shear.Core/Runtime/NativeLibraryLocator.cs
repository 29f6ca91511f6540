using System.Reflection;

namespace Shear.Runtime;

/// <summary>Finds native libraries the way the .NET host probes for them, and reports which are loaded.</summary>
public static class NativeLibraryLocator
{
    private static readonly string[] _systemDirectories =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
         "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    /// <summary>
    /// The first file named <paramref name="fileName"/> in the host's native probing directories (from the app's
    /// deps.json), then beside <paramref name="assembly"/> and in its <c>runtimes/&lt;rid&gt;/native</c> folder.
    /// </summary>
    public static string? FindInProbingPaths(string fileName, Assembly assembly) =>
        ProbingDirectories(assembly).Select(d => Path.Combine(d, fileName)).FirstOrDefault(File.Exists);

    /// <summary>The host's native probing directories (from the app's deps.json), then <paramref name="assembly"/>'s
    /// folder and its <c>runtimes/&lt;rid&gt;/native</c>, in that order.</summary>
    public static IReadOnlyList<string> ProbingDirectories(Assembly assembly)
    {
        var directories = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string probing)
        {
            directories.AddRange(probing.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }
        string? assemblyDir = Path.GetDirectoryName(assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDir))
        {
            directories.Add(assemblyDir);
            directories.Add(Path.Combine(assemblyDir, "runtimes", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native"));
        }
        return directories;
    }

    /// <summary>The path of a system library such as <c>libstdc++.so.6</c> in the usual directories.</summary>
    public static string? FindSystem(string fileName) =>
        _systemDirectories.Select(d => Path.Combine(d, fileName)).FirstOrDefault(File.Exists);

    /// <summary>The path from which a library whose file name starts with <paramref name="fileName"/> is mapped
    /// into this process (Linux only; null elsewhere or when not loaded).</summary>
    public static string? LoadedPath(string fileName) =>
        LoadedLibraries().FirstOrDefault(p => Path.GetFileName(p).StartsWith(fileName, StringComparison.Ordinal));

    /// <summary>Every shared object mapped into this process, in first-mapped order (Linux only).</summary>
    public static IReadOnlyList<string> LoadedLibraries()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return [];
        }
        // Each line ends with the mapped file's path; a library appears once per mapped segment.
        return File.ReadLines(maps)
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var at and >= 0 ? line[at..] : null)
            .OfType<string>()
            .Where(path => path.Contains(".so", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
