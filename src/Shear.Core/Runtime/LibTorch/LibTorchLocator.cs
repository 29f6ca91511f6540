using System.Text.RegularExpressions;

namespace Shear.Runtime.LibTorch;

/// <summary>
/// Finds the libtorch to load. Sources, first usable wins: <c>SHEAR_LIBTORCH</c> (final when set: an explicit
/// folder that is wrong is an error, never silently passed over), the application's own folder, the choice
/// recorded by <c>shear setup</c>, TorchSharp's CPU package in the NuGet global packages folder, a Python
/// <c>torch</c> of the same version. A folder counts only when every library is there and non-empty, and, where
/// the source tells the version, when it is the version TorchSharp's glue was built for.
/// </summary>
public static partial class LibTorchLocator
{
    /// <summary>Asks every source and picks the first usable one.</summary>
    public static LibTorchResolution Resolve(LibTorchSearch search)
    {
        var cpu = LibTorchFlavours.All.FirstOrDefault(f => f.Name == LibTorchFlavours.Default && f.Rid == search.Rid);
        var considered = new List<LibTorchCandidate>();
        if (search.EnvironmentFolder is { } explicitFolder)
        {
            var candidate = FromExplicitFolder(explicitFolder, search, cpu);
            considered.Add(candidate);
            return new(candidate.Status == LibTorchCandidateStatus.Usable ? candidate : null, considered, search);
        }
        considered.Add(FromApplication(search, cpu));
        considered.Add(FromSetup(search));
        if (cpu is not null)
        {
            considered.Add(FromNuGet(search, cpu));
        }
        considered.AddRange(FromPython(search, cpu));
        return new(considered.FirstOrDefault(c => c.Status == LibTorchCandidateStatus.Usable), considered, search);
    }

    /// <summary>Files of <paramref name="flavour"/> missing or empty in <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> MissingFiles(string folder, LibTorchFlavour flavour) =>
        flavour.LibraryFiles.Where(f => !(new FileInfo(Path.Combine(folder, f)) is { Exists: true, Length: > 0 })).ToList();

    /// <summary>The release part of a version string: "2.10.0+cpu" is "2.10.0".</summary>
    public static string Release(string version) => version.Split('+', 2)[0].Trim();

    private static LibTorchCandidate FromExplicitFolder(string folder, LibTorchSearch search, LibTorchFlavour? cpu)
    {
        const LibTorchSource source = LibTorchSource.EnvironmentVariable;
        if (cpu is null)
        {
            return new(source, folder, LibTorchCandidateStatus.Absent, $"no libtorch flavour is known for {search.Rid}");
        }
        if (!Directory.Exists(folder))
        {
            return new(source, folder, LibTorchCandidateStatus.Absent, "no such folder");
        }
        // A libtorch distribution keeps its libraries in lib/ and its version in build-version.
        string libs = Directory.Exists(Path.Combine(folder, "lib")) ? Path.Combine(folder, "lib") : folder;
        var flavour = DetectFlavour(libs, search.Rid) ?? cpu;
        string? version = ReadVersionFile(Path.Combine(folder, "build-version")) ?? ReadVersionFile(Path.Combine(libs, "..", "build-version"))
            ?? PythonTorchVersion(Path.Combine(libs, ".."));
        return Check(source, libs, flavour, search.Version, version, versionUnknown: "the folder does not record its version; assumed");
    }

    private static LibTorchCandidate FromApplication(LibTorchSearch search, LibTorchFlavour? cpu)
    {
        if (cpu is not null)
        {
            foreach (string folder in search.ApplicationFolders)
            {
                if (File.Exists(Path.Combine(folder, NativeFileName.For("torch_cpu", search.Rid))))
                {
                    var flavour = DetectFlavour(folder, search.Rid) ?? cpu;
                    return Check(LibTorchSource.Application, folder, flavour, search.Version, found: null, versionUnknown: "the application's own package;");
                }
            }
        }
        return new(LibTorchSource.Application, search.ApplicationFolders.Count > 0 ? search.ApplicationFolders[0] : "-", LibTorchCandidateStatus.Absent, "the application carries no libtorch");
    }

    private static LibTorchCandidate FromSetup(LibTorchSearch search)
    {
        const LibTorchSource source = LibTorchSource.Setup;
        LibTorchSetupRecord? record;
        try
        {
            record = LibTorchSetupRecord.Read(search.SetupRecordFile);
        }
        catch (InvalidDataException e)
        {
            return new(source, search.SetupRecordFile, LibTorchCandidateStatus.Incomplete, e.Message);
        }
        if (record is null)
        {
            return new(source, search.SetupRecordFile, LibTorchCandidateStatus.Absent, "shear setup has not been run");
        }
        var flavour = LibTorchFlavours.All.FirstOrDefault(f => f.Name == record.Flavour && f.Rid == record.Rid);
        if (flavour is null || record.Rid != search.Rid)
        {
            return new(source, record.Folder, LibTorchCandidateStatus.WrongVersion, $"recorded flavour {record.Flavour} for {record.Rid}, not usable on {search.Rid}; run `shear setup` again");
        }
        if (Release(record.Version) != Release(search.Version))
        {
            return new(source, record.Folder, LibTorchCandidateStatus.WrongVersion, $"set up libtorch {record.Version}, this Shear needs {search.Version}; run `shear setup` again", flavour);
        }
        var changed = record.FileSizes.Where(kv => new FileInfo(Path.Combine(record.Folder, kv.Key)) is var f && (!f.Exists || f.Length != kv.Value)).Select(kv => kv.Key).ToList();
        if (changed.Count > 0)
        {
            return new(source, record.Folder, LibTorchCandidateStatus.Incomplete, $"{string.Join(", ", changed)} missing or changed since setup; run `shear setup` again", flavour);
        }
        return Check(source, record.Folder, flavour, search.Version, record.Version, versionUnknown: "");
    }

    private static LibTorchCandidate FromNuGet(LibTorchSearch search, LibTorchFlavour cpu)
    {
        const LibTorchSource source = LibTorchSource.NuGetPackages;
        string idFolder = Path.Combine(search.NuGetPackagesFolder, cpu.PackageId.ToLowerInvariant());
        string versionFolder = Path.Combine(idFolder, search.Version);
        string natives = NativeFolderOfPackage(versionFolder, cpu.Rid);
        if (!Directory.Exists(versionFolder))
        {
            var others = Directory.Exists(idFolder) ? Directory.EnumerateDirectories(idFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList() : [];
            return others.Count > 0
                ? new(source, idFolder, LibTorchCandidateStatus.WrongVersion, $"{cpu.PackageId} {string.Join(", ", others)} restored, this Shear needs {search.Version}", cpu)
                : new(source, versionFolder, LibTorchCandidateStatus.Absent, $"{cpu.PackageId} {search.Version} is not restored", cpu);
        }
        // NuGet writes the .nupkg.metadata marker last: without it the extraction did not finish.
        string marker = Path.Combine(versionFolder, ".nupkg.metadata");
        if (!File.Exists(marker))
        {
            return new(source, versionFolder, LibTorchCandidateStatus.Incomplete, ".nupkg.metadata is missing: the restore did not finish; run `shear setup`", cpu);
        }
        return Check(source, natives, cpu, search.Version, search.Version, versionUnknown: "");
    }

    private static IEnumerable<LibTorchCandidate> FromPython(LibTorchSearch search, LibTorchFlavour? cpu)
    {
        if (cpu is null)
        {
            yield break;
        }
        foreach (string sitePackages in search.PythonSitePackages)
        {
            string torch = Path.Combine(sitePackages, "torch");
            string lib = Path.Combine(torch, "lib");
            if (!Directory.Exists(lib))
            {
                continue;
            }
            string? version = PythonTorchVersion(torch);
            var flavour = DetectFlavour(lib, search.Rid) ?? cpu;
            yield return Check(LibTorchSource.Python, lib, flavour, search.Version, version, versionUnknown: "torch/version.py is missing; assumed");
        }
    }

    /// <summary>Where a libtorch package keeps its native files.</summary>
    public static string NativeFolderOfPackage(string packageVersionFolder, string rid) =>
        Path.Combine(packageVersionFolder, "runtimes", rid, "native");

    private static LibTorchCandidate Check(LibTorchSource source, string folder, LibTorchFlavour flavour, string needed, string? found, string versionUnknown)
    {
        if (found is not null && Release(found) != Release(needed))
        {
            return new(source, folder, LibTorchCandidateStatus.WrongVersion, $"libtorch {found}, this Shear needs {needed}", flavour);
        }
        var missing = MissingFiles(folder, flavour);
        if (missing.Count > 0)
        {
            return new(source, folder, LibTorchCandidateStatus.Incomplete, $"{string.Join(", ", missing)} missing or empty", flavour);
        }
        string version = found is null ? $"{versionUnknown} {needed}".Trim() : $"libtorch {found}";
        return new(source, folder, LibTorchCandidateStatus.Usable, $"{flavour.Name}, {version}", flavour);
    }

    private static LibTorchFlavour? DetectFlavour(string folder, string rid) =>
        LibTorchFlavours.All.Where(f => f.Rid == rid && f.IsCuda)
            .FirstOrDefault(f => File.Exists(Path.Combine(folder, NativeFileName.For("torch_cuda", rid))));

    private static string? ReadVersionFile(string file) =>
        File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } text ? text : null;

    /// <summary>The version in a Python torch package's <c>version.py</c> (<c>__version__ = '2.10.0+cpu'</c>).</summary>
    public static string? PythonTorchVersion(string torchFolder)
    {
        string file = Path.Combine(torchFolder, "version.py");
        if (!File.Exists(file))
        {
            return null;
        }
        var match = VersionLine().Match(File.ReadAllText(file));
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"^__version__\s*=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex VersionLine();
}
