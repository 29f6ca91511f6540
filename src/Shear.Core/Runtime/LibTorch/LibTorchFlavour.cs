using System.Reflection;
using System.Runtime.InteropServices;

namespace Shear.Runtime.LibTorch;

/// <summary>One libtorch build Shear can run on: a flavour (cpu, a CUDA version) for one platform.</summary>
/// <param name="Name">What the user types: <c>shear setup --torch NAME</c>.</param>
/// <param name="Rid">The .NET runtime identifier the package serves.</param>
/// <param name="PackageId">TorchSharp's NuGet package that carries this libtorch.</param>
/// <param name="Fragmented">The package ships its largest files in fragments that its own build targets join,
/// so setup must build a project, not only restore it (TorchSharp's CUDA packages).</param>
public sealed record LibTorchFlavour(string Name, string Rid, string PackageId, bool Fragmented)
{
    /// <summary>The libraries loaded ahead of TorchSharp, dependencies first.</summary>
    public IReadOnlyList<string> Libraries => IsCuda ? ["c10", "c10_cuda", "torch_cpu", "torch_cuda", "torch"] : ["c10", "torch_cpu", "torch"];

    /// <summary>Whether this flavour drives an NVIDIA GPU.</summary>
    public bool IsCuda => Name.StartsWith("cuda", StringComparison.Ordinal);

    /// <summary>The file names of <see cref="Libraries"/> on the flavour's platform.</summary>
    public IReadOnlyList<string> LibraryFiles => Libraries.Select(l => NativeFileName.For(l, Rid)).ToList();
}

/// <summary>
/// Every flavour Shear knows, in one table: package names are TorchSharp's for libtorch <see cref="Version"/>.
/// Adding a CUDA version or a platform is one row here.
/// </summary>
public static class LibTorchFlavours
{
    /// <summary>The flavour used when the user names none.</summary>
    public const string Default = "cpu";

    /// <summary>The table.</summary>
    public static IReadOnlyList<LibTorchFlavour> All { get; } =
    [
        new("cpu", "linux-x64", "libtorch-cpu-linux-x64", Fragmented: false),
        new("cpu", "win-x64", "libtorch-cpu-win-x64", Fragmented: false),
        new("cpu", "osx-arm64", "libtorch-cpu-osx-arm64", Fragmented: false),
        new("cuda-12.8", "linux-x64", "libtorch-cuda-12.8-linux-x64", Fragmented: true),
        new("cuda-12.8", "win-x64", "libtorch-cuda-12.8-win-x64", Fragmented: true),
    ];

    /// <summary>The libtorch version this build of Shear (its TorchSharp glue) was compiled against.</summary>
    public static string Version { get; } =
        typeof(LibTorchFlavours).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "LibTorchVersion")?.Value ?? "?";

    /// <summary>The runtime identifier of this process (linux-x64, win-x64, osx-arm64, ...).</summary>
    public static string CurrentRid => RuntimeInformation.RuntimeIdentifier;

    /// <summary>Flavour names known for <paramref name="rid"/>.</summary>
    public static IReadOnlyList<string> NamesFor(string rid) => All.Where(f => f.Rid == rid).Select(f => f.Name).ToList();

    /// <summary>The flavour <paramref name="name"/> for <paramref name="rid"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name, or not built for this platform; the message lists the known ones.</exception>
    public static LibTorchFlavour Find(string name, string rid)
    {
        var known = All.Where(f => f.Name == name).ToList();
        if (known.Count == 0)
        {
            string names = string.Join(", ", All.Select(f => f.Name).Distinct(StringComparer.Ordinal));
            throw new ArgumentException($"unknown libtorch flavour '{name}'; known flavours: {names}.");
        }
        return known.FirstOrDefault(f => f.Rid == rid)
            ?? throw new ArgumentException(
                $"libtorch flavour '{name}' is not published for {rid} (only for {string.Join(", ", known.Select(f => f.Rid))}); "
                + $"flavours for {rid}: {string.Join(", ", NamesFor(rid))}.");
    }
}

/// <summary>Native library file names per platform: <c>torch_cpu</c> is libtorch_cpu.so, torch_cpu.dll or libtorch_cpu.dylib.</summary>
public static class NativeFileName
{
    /// <summary>The file name of library <paramref name="name"/> on platform <paramref name="rid"/>.</summary>
    public static string For(string name, string rid) =>
        rid.StartsWith("win", StringComparison.Ordinal) ? $"{name}.dll"
        : rid.StartsWith("osx", StringComparison.Ordinal) ? $"lib{name}.dylib"
        : $"lib{name}.so";
}
