namespace Shear.Runtime.LibTorch;

/// <summary>Fake libtorch folders in the layouts each source uses: only names and sizes matter to the locator.</summary>
internal static class FakeLibTorch
{
    public const string Rid = "linux-x64";
    public const string Version = "2.10.0";

    public static LibTorchFlavour Cpu => LibTorchFlavours.Find("cpu", Rid);

    public static LibTorchFlavour Cuda => LibTorchFlavours.Find("cuda-12.8", Rid);

    /// <summary>Writes every library of <paramref name="flavour"/> (non-empty) into <paramref name="folder"/>, except <paramref name="leaveOut"/>.</summary>
    public static string Libraries(string folder, LibTorchFlavour? flavour = null, params string[] leaveOut)
    {
        Directory.CreateDirectory(folder);
        foreach (string file in (flavour ?? Cpu).LibraryFiles.Except(leaveOut))
        {
            File.WriteAllText(Path.Combine(folder, file), "ELF " + file);
        }
        return folder;
    }

    /// <summary>TorchSharp's CPU package as NuGet extracts it; without the marker, as an interrupted restore leaves it.</summary>
    public static string NuGetPackage(string packagesFolder, string version = Version, bool finished = true)
    {
        string versionFolder = Path.Combine(packagesFolder, "libtorch-cpu-linux-x64", version);
        Libraries(LibTorchLocator.NativeFolderOfPackage(versionFolder, Rid));
        if (finished)
        {
            File.WriteAllText(Path.Combine(versionFolder, ".nupkg.metadata"), "{}");
        }
        return versionFolder;
    }

    /// <summary>A pip-installed torch: torch/lib with the libraries and torch/version.py.</summary>
    public static string PythonTorch(string sitePackages, string version)
    {
        string torch = Path.Combine(sitePackages, "torch");
        Libraries(Path.Combine(torch, "lib"));
        File.WriteAllText(Path.Combine(torch, "version.py"), $"from typing import Optional\n__version__ = '{version}'\ndebug = False\n");
        return Path.Combine(torch, "lib");
    }

    /// <summary>A record as <c>shear setup</c> writes it, with the files' real sizes.</summary>
    public static LibTorchSetupRecord Record(string folder, string version = Version) =>
        new("cpu", Rid, "libtorch-cpu-linux-x64", version, folder,
            Cpu.LibraryFiles.ToDictionary(f => f, f => new FileInfo(Path.Combine(folder, f)).Length), "test", DateTime.UtcNow);
}
