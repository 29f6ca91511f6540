namespace Shear.Runtime.LibTorch;

/// <summary>Where a libtorch can come from, in the order <see cref="LibTorchLocator"/> asks.</summary>
public enum LibTorchSource
{
    /// <summary>The folder named by <c>SHEAR_LIBTORCH</c>.</summary>
    EnvironmentVariable,

    /// <summary>The application's own output (it references a libtorch package).</summary>
    Application,

    /// <summary>The choice recorded by <c>shear setup</c>.</summary>
    Setup,

    /// <summary>TorchSharp's CPU package in the NuGet global packages folder.</summary>
    NuGetPackages,

    /// <summary>A Python <c>torch</c> package of the same version.</summary>
    Python,
}

/// <summary>What a source held.</summary>
public enum LibTorchCandidateStatus
{
    /// <summary>A complete libtorch of the right version.</summary>
    Usable,

    /// <summary>Nothing there.</summary>
    Absent,

    /// <summary>Something there, but files are missing, empty or changed (an interrupted download).</summary>
    Incomplete,

    /// <summary>A libtorch of another version.</summary>
    WrongVersion,
}

/// <summary>One source as the locator found it.</summary>
/// <param name="Source">Which source.</param>
/// <param name="Folder">The folder holding the libraries (or the place looked at).</param>
/// <param name="Status">What was there.</param>
/// <param name="Detail">One line: why this status.</param>
/// <param name="Flavour">The flavour found, when known.</param>
public sealed record LibTorchCandidate(LibTorchSource Source, string Folder, LibTorchCandidateStatus Status, string Detail, LibTorchFlavour? Flavour = null)
{
    /// <summary>The source in words.</summary>
    public string SourceName => Source switch
    {
        LibTorchSource.EnvironmentVariable => LibTorchSearch.EnvironmentVariable,
        LibTorchSource.Application => "application folder",
        LibTorchSource.Setup => "shear setup",
        LibTorchSource.NuGetPackages => "NuGet global packages",
        _ => "Python torch",
    };

    /// <inheritdoc/>
    public override string ToString() => $"{SourceName}: {Status} ({Detail}) at {Folder}";
}

/// <summary>The locator's answer: the libtorch to load, and every source it asked, for messages and <c>shear doctor</c>.</summary>
/// <param name="Chosen">The first usable source, or null.</param>
/// <param name="Considered">Every source asked, in order.</param>
/// <param name="Search">What was searched.</param>
public sealed record LibTorchResolution(LibTorchCandidate? Chosen, IReadOnlyList<LibTorchCandidate> Considered, LibTorchSearch Search)
{
    /// <summary>Says what to do when nothing usable was found, listing every source and what it held.</summary>
    public string Explain()
    {
        var lines = new List<string>();
        var explicitFolder = Considered.FirstOrDefault(c => c.Source == LibTorchSource.EnvironmentVariable);
        if (explicitFolder is not null && explicitFolder.Status != LibTorchCandidateStatus.Usable)
        {
            lines.Add($"{LibTorchSearch.EnvironmentVariable}={Search.EnvironmentFolder} does not name a usable libtorch {Search.Version}: {explicitFolder.Detail}. "
                + $"Fix or unset {LibTorchSearch.EnvironmentVariable}.");
        }
        else
        {
            var cpu = LibTorchFlavours.All.FirstOrDefault(f => f.Name == LibTorchFlavours.Default && f.Rid == Search.Rid);
            string cuda = LibTorchFlavours.All.FirstOrDefault(f => f.IsCuda && f.Rid == Search.Rid)?.Name is { } c ? $" (`shear setup --torch {c}` for an NVIDIA GPU)" : "";
            lines.Add($"libtorch {Search.Version} for {Search.Rid} was not found. Run `shear setup`{cuda} to fetch it through NuGet"
                + (cpu is null ? "" : $", or reference the package {cpu.PackageId} {Search.Version} from your application")
                + $", or set {LibTorchSearch.EnvironmentVariable} to a libtorch {Search.Version} folder.");
        }
        lines.Add("Looked at:");
        lines.AddRange(Considered.Select(c => $"  - {c}"));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>No usable libtorch: the message lists what was looked at and what to run.</summary>
public sealed class LibTorchNotFoundException : Exception
{
    /// <summary>Creates the exception for <paramref name="resolution"/>.</summary>
    public LibTorchNotFoundException(LibTorchResolution resolution) : base(resolution.Explain()) => Resolution = resolution;

    /// <summary>Creates the exception with a message only.</summary>
    public LibTorchNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public LibTorchNotFoundException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with no message.</summary>
    public LibTorchNotFoundException() { }

    /// <summary>What was searched, when known.</summary>
    public LibTorchResolution? Resolution { get; }
}
