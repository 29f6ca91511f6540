using System.Runtime.InteropServices;
using TorchSharp;

namespace Shear.Runtime;

/// <summary>
/// Makes TorchSharp's native glue loadable before TorchSharp's first use. Every entry point (the CLI, each test
/// assembly, benchmarks) calls <see cref="Initialize"/> first.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> asks for GLIBCXX_3.4.32 (GCC 13) for one symbol it never binds,
/// while Debian 12's libstdc++ stops at 3.4.30. When the libstdc++ in this process lacks a version the glue asks
/// for, this class loads the libtorch libraries exactly as TorchSharp would resolve them, then a copy of the glue
/// whose missing version requirements are marked weak; TorchSharp later finds the glue already loaded by its
/// SONAME. On Windows, macOS and Linux hosts whose libstdc++ is new enough, it does nothing at all.
/// It must run before anything touches <see cref="torch"/>: when TorchSharp's own load fails it copies ~478 MB of
/// libtorch next to the app and throws a misleading error. Before it, <see cref="NativeHeapTuning"/> keeps large
/// buffers in the C heap; after it, <see cref="CpuAllocatorZeroFill"/> and <see cref="CachingCpuAllocator"/> run; all
/// must precede the first tensor.
/// </remarks>
public static class TorchRuntime
{
    private const string GlueFileName = "libLibTorchSharp.so";
    private const string LibStdCxxSoname = "libstdc++.so.6";
    private static readonly string[] _libTorchLibraries = ["c10", "torch_cpu", "torch"];
    private static readonly Lock _gate = new();
    private static TorchRuntimeReport? _report;

    /// <summary>What the last <see cref="Initialize"/> did, or null before the first call.</summary>
    public static TorchRuntimeReport? Report => _report;

    /// <summary>Prepares native loading once per process; later calls return the first call's report.</summary>
    /// <exception cref="TorchRuntimeException">The glue cannot be made loadable; the message names the library
    /// and the missing versions.</exception>
    public static TorchRuntimeReport Initialize()
    {
        lock (_gate)
        {
            NativeHeapTuning.Apply();
            _report ??= InitializeOnce();
            CpuAllocatorZeroFill.Apply();
            CachingCpuAllocator.Apply();
            return _report;
        }
    }

    private static TorchRuntimeReport InitializeOnce()
    {
        if (!OperatingSystem.IsLinux())
        {
            return TorchRuntimeReport.NotNeeded("not Linux: TorchSharp loads its own libraries");
        }
        string? gluePath = NativeLibraryLocator.FindInProbingPaths(GlueFileName, typeof(torch).Assembly);
        string? libStdCxx = NativeLibraryLocator.LoadedPath(LibStdCxxSoname) ?? NativeLibraryLocator.FindSystem(LibStdCxxSoname);
        if (gluePath is null || libStdCxx is null)
        {
            return TorchRuntimeReport.NotNeeded($"{GlueFileName} or {LibStdCxxSoname} not found: nothing to adapt");
        }
        var glue = ElfFile.Read(gluePath);
        var missing = VersionWeakening.MissingVersions(glue, LibStdCxxSoname, ElfFile.Read(libStdCxx));
        if (missing.Count == 0)
        {
            return TorchRuntimeReport.NotNeeded($"{libStdCxx} defines every version {GlueFileName} needs");
        }
        string missingNames = string.Join(", ", missing.Select(m => m.Version));
        var blocking = VersionWeakening.BlockingSymbols(glue, missing);
        if (blocking.Count > 0)
        {
            throw new TorchRuntimeException(
                $"{gluePath} needs {missingNames} from {LibStdCxxSoname}, which {libStdCxx} lacks, and really "
                + $"binds {string.Join(", ", blocking)} to it. Install a newer libstdc++ (GCC 13 or later).");
        }
        var preloaded = PreloadLibTorch(gluePath);
        string patchedPath = new PatchedLibraryCache(PatchedLibraryCache.DefaultRoot())
            .GetOrCreate(gluePath, VersionWeakening.Weaken(glue, missing));
        LoadPatchedGlue(patchedPath, missingNames, libStdCxx);
        return new TorchRuntimeReport(TorchRuntimeMode.PatchedGlue,
            $"{libStdCxx} lacks {missingNames}; loaded a copy of {GlueFileName} with it marked weak",
            gluePath, patchedPath, libStdCxx, missing.Select(m => m.Version).ToList(), preloaded);
    }

    // Loads exactly the files TorchSharp itself resolves: loading other copies of libtorch (the NuGet cache, or
    // Debian's libtorch 1.13 from the loader cache) crashes libtorch with a double registration.
    private static Dictionary<string, string> PreloadLibTorch(string gluePath)
    {
        var loaded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in _libTorchLibraries)
        {
            if (!NativeLibrary.TryLoad(name, typeof(torch).Assembly, null, out _))
            {
                throw new TorchRuntimeException(
                    $"lib{name}.so could not be loaded from TorchSharp's probing paths ({gluePath} needs it). "
                    + "Is the libtorch-cpu-linux-x64 package restored?");
            }
            loaded[name] = NativeLibraryLocator.LoadedPath($"lib{name}.so") ?? "(loaded)";
        }
        return loaded;
    }

    private static void LoadPatchedGlue(string patchedPath, string missingNames, string libStdCxx)
    {
        try
        {
            NativeLibrary.Load(patchedPath);
        }
        catch (DllNotFoundException e)
        {
            throw new TorchRuntimeException(
                $"{patchedPath} (TorchSharp's glue with {missingNames} marked weak) still failed to load against "
                + $"{libStdCxx}: {e.Message}", e);
        }
    }
}
