using System.Runtime.InteropServices;
using Shear.Runtime.LibTorch;
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
/// SONAME. On Windows, macOS and Linux hosts whose libstdc++ is new enough, it does nothing at all when the
/// application carries libtorch. libtorch itself may also come from elsewhere (<see cref="LibTorchLocator"/>: the
/// folder <c>shear setup</c> recorded, the NuGet global packages folder, SHEAR_LIBTORCH, a Python torch); it is then
/// loaded by absolute path ahead of TorchSharp on every host.
/// It must run before anything touches <see cref="torch"/>: when TorchSharp's own load fails it copies ~478 MB of
/// libtorch next to the app and throws a misleading error. Before it, <see cref="NativeHeapTuning"/> keeps large
/// buffers in the C heap; after it, <see cref="CpuAllocatorZeroFill"/> and <see cref="CachingCpuAllocator"/> run; all
/// must precede the first tensor.
/// </remarks>
public static class TorchRuntime
{
    private const string GlueFileName = "libLibTorchSharp.so";
    private const string LibStdCxxSoname = "libstdc++.so.6";
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
        var resolution = LibTorchLocator.Resolve(LibTorchSearch.Current());
        if (resolution.Chosen is null && !OperatingSystem.IsLinux())
        {
            // Untested hosts keep TorchSharp's own search (and its messages) rather than a refusal of ours.
            return TorchRuntimeReport.NotNeeded("not Linux, and no libtorch found by Shear: TorchSharp searches itself", resolution);
        }
        var chosen = resolution.Chosen ?? throw new LibTorchNotFoundException(resolution);
        // An application that carries libtorch is what TorchSharp loads by itself: leave it alone where it can.
        bool ownFiles = chosen.Source == LibTorchSource.Application;
        if (!OperatingSystem.IsLinux())
        {
            return ownFiles
                ? TorchRuntimeReport.NotNeeded("not Linux, and the application carries libtorch: TorchSharp loads it", resolution)
                : LoadElsewhere(chosen, resolution, glue: null);
        }
        string? gluePath = NativeLibraryLocator.FindInProbingPaths(GlueFileName, typeof(torch).Assembly);
        if (gluePath is null)
        {
            throw new TorchRuntimeException($"TorchSharp's {GlueFileName} is not beside the application; is the TorchSharp package restored?");
        }
        string? libStdCxx = NativeLibraryLocator.LoadedPath(LibStdCxxSoname) ?? NativeLibraryLocator.FindSystem(LibStdCxxSoname);
        var glue = ElfFile.Read(gluePath);
        var missing = libStdCxx is null ? [] : VersionWeakening.MissingVersions(glue, LibStdCxxSoname, ElfFile.Read(libStdCxx));
        if (missing.Count == 0)
        {
            return ownFiles
                ? TorchRuntimeReport.NotNeeded($"{libStdCxx ?? LibStdCxxSoname} defines every version {GlueFileName} needs", resolution)
                : LoadElsewhere(chosen, resolution, gluePath);
        }
        string missingNames = string.Join(", ", missing.Select(m => m.Version));
        var blocking = VersionWeakening.BlockingSymbols(glue, missing);
        if (blocking.Count > 0)
        {
            throw new TorchRuntimeException(
                $"{gluePath} needs {missingNames} from {LibStdCxxSoname}, which {libStdCxx} lacks, and really "
                + $"binds {string.Join(", ", blocking)} to it. Install a newer libstdc++ (GCC 13 or later).");
        }
        var preloaded = Preload(chosen);
        string patchedPath = new PatchedLibraryCache(PatchedLibraryCache.DefaultRoot())
            .GetOrCreate(gluePath, VersionWeakening.Weaken(glue, missing));
        LoadPatchedGlue(patchedPath, missingNames, libStdCxx!);
        return new TorchRuntimeReport(TorchRuntimeMode.PatchedGlue,
            $"{libStdCxx} lacks {missingNames}; loaded a copy of {GlueFileName} with it marked weak",
            gluePath, patchedPath, libStdCxx, missing.Select(m => m.Version).ToList(), preloaded, resolution);
    }

    // libtorch outside the application: load it and the glue by absolute path first, so that TorchSharp's own
    // by-name loads find them already mapped (by SONAME) instead of copying libtorch next to the application.
    private static TorchRuntimeReport LoadElsewhere(LibTorchCandidate chosen, LibTorchResolution resolution, string? glue)
    {
        var preloaded = Preload(chosen);
        string? gluePath = glue ?? NativeLibraryLocator.FindInProbingPaths(NativeFileName.For("LibTorchSharp", LibTorchFlavours.CurrentRid), typeof(torch).Assembly);
        if (gluePath is not null)
        {
            NativeLibrary.Load(gluePath);
        }
        return new TorchRuntimeReport(TorchRuntimeMode.Preloaded, $"libtorch from {chosen.SourceName}, loaded ahead of TorchSharp",
            gluePath, null, null, [], preloaded, resolution);
    }

    // Loads exactly the chosen folder's files: a second copy of libtorch in one process (another package, or
    // Debian's libtorch 1.13 from the loader cache) crashes libtorch with a double registration.
    private static Dictionary<string, string> Preload(LibTorchCandidate chosen)
    {
        var flavour = chosen.Flavour!;
        var loaded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, file) in flavour.Libraries.Zip(flavour.LibraryFiles))
        {
            string path = Path.Combine(chosen.Folder, file);
            try
            {
                NativeLibrary.Load(path);
            }
            catch (DllNotFoundException e)
            {
                throw new TorchRuntimeException($"{path} (libtorch from {chosen.SourceName}) could not be loaded: {e.Message}", e);
            }
            loaded[name] = path;
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
