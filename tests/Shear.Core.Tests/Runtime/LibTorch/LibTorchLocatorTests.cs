using Shear.TestKit;
using Xunit;

namespace Shear.Runtime.LibTorch;

public sealed class LibTorchLocatorTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly string _app;
    private readonly string _record;
    private readonly string _packages;
    private readonly string _site;

    public LibTorchLocatorTests()
    {
        _app = _root.File("app");
        _record = _root.File("home/libtorch.json");
        _packages = _root.File("nuget");
        _site = _root.File("site-packages");
        Directory.CreateDirectory(_app);
    }

    public void Dispose() => _root.Dispose();

    private LibTorchSearch Search(string? environmentFolder = null) =>
        new(FakeLibTorch.Version, FakeLibTorch.Rid, [_app], environmentFolder, _record, _packages, [_site]);

    private LibTorchResolution Resolve(string? environmentFolder = null) => LibTorchLocator.Resolve(Search(environmentFolder));

    private LibTorchCandidate Candidate(LibTorchSource source) => Resolve().Considered.Single(c => c.Source == source);

    [Fact]
    public void Nothing_NoChoice_AndTheMessageSaysWhatToRunAndWhereItLooked()
    {
        var resolution = Resolve();

        Assert.Null(resolution.Chosen);
        Assert.All(resolution.Considered, c => Assert.Equal(LibTorchCandidateStatus.Absent, c.Status));
        Assert.Equal([LibTorchSource.Application, LibTorchSource.Setup, LibTorchSource.NuGetPackages], resolution.Considered.Select(c => c.Source));
        string message = resolution.Explain();
        Assert.Contains("Run `shear setup`", message, StringComparison.Ordinal);
        Assert.Contains("--torch cuda-12.8", message, StringComparison.Ordinal);
        Assert.Contains("libtorch-cpu-linux-x64 2.10.0", message, StringComparison.Ordinal);
        Assert.Contains(_record, message, StringComparison.Ordinal);
        Assert.Contains(_packages, message, StringComparison.Ordinal);
    }

    [Fact]
    public void EverySourceUsable_TakenInOrder_ApplicationSetupNuGetPython()
    {
        FakeLibTorch.Libraries(_app);
        string setupFolder = FakeLibTorch.Libraries(_root.File("set-up"));
        FakeLibTorch.Record(setupFolder).Write(_record);
        FakeLibTorch.NuGetPackage(_packages);
        FakeLibTorch.PythonTorch(_site, "2.10.0+cpu");

        Assert.Equal(LibTorchSource.Application, Resolve().Chosen!.Source);
        foreach (string file in FakeLibTorch.Cpu.LibraryFiles)
        {
            File.Delete(Path.Combine(_app, file));
        }
        Assert.Equal(LibTorchSource.Setup, Resolve().Chosen!.Source);
        Assert.Equal(setupFolder, Resolve().Chosen!.Folder);
        File.Delete(_record);
        Assert.Equal(LibTorchSource.NuGetPackages, Resolve().Chosen!.Source);
        Directory.Delete(Path.Combine(_packages, "libtorch-cpu-linux-x64"), recursive: true);
        var python = Resolve().Chosen!;
        Assert.Equal(LibTorchSource.Python, python.Source);
        Assert.Equal(Path.Combine(_site, "torch", "lib"), python.Folder);
    }

    [Fact]
    public void EnvironmentVariable_WinsOverTheApplication()
    {
        FakeLibTorch.Libraries(_app);
        string folder = FakeLibTorch.Libraries(_root.File("mine"));

        var chosen = Resolve(folder).Chosen!;

        Assert.Equal(LibTorchSource.EnvironmentVariable, chosen.Source);
        Assert.Equal(folder, chosen.Folder);
    }

    [Fact]
    public void EnvironmentVariable_NamingNothing_IsAnError_NeverPassedOverForAnotherSource()
    {
        FakeLibTorch.Libraries(_app);
        string missing = _root.File("no-such-folder");

        var resolution = Resolve(missing);

        Assert.Null(resolution.Chosen);
        string message = resolution.Explain();
        Assert.Contains($"SHEAR_LIBTORCH={missing}", message, StringComparison.Ordinal);
        Assert.Contains("no such folder", message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentVariable_LibTorchDistribution_ReadsLibAndBuildVersion()
    {
        string distribution = _root.File("libtorch");
        FakeLibTorch.Libraries(Path.Combine(distribution, "lib"));
        File.WriteAllText(Path.Combine(distribution, "build-version"), "2.10.0+cpu\n");

        var usable = Resolve(distribution).Chosen!;
        Assert.Equal(Path.Combine(distribution, "lib"), usable.Folder);
        Assert.Contains("libtorch 2.10.0+cpu", usable.Detail, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(distribution, "build-version"), "2.9.1+cpu\n");
        var resolution = Resolve(distribution);
        Assert.Null(resolution.Chosen);
        Assert.Equal(LibTorchCandidateStatus.WrongVersion, resolution.Considered[0].Status);
        Assert.Contains("libtorch 2.9.1+cpu, this Shear needs 2.10.0", resolution.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public void NuGet_InterruptedRestore_IsIncomplete_AndTheNextSourceIsUsed()
    {
        FakeLibTorch.NuGetPackage(_packages, finished: false);
        FakeLibTorch.PythonTorch(_site, "2.10.0");

        var resolution = Resolve();

        var nuget = resolution.Considered.Single(c => c.Source == LibTorchSource.NuGetPackages);
        Assert.Equal(LibTorchCandidateStatus.Incomplete, nuget.Status);
        Assert.Contains("restore did not finish", nuget.Detail, StringComparison.Ordinal);
        Assert.Equal(LibTorchSource.Python, resolution.Chosen!.Source);
    }

    [Fact]
    public void NuGet_OnlyAnotherVersionRestored_IsWrongVersion_NamingIt()
    {
        FakeLibTorch.NuGetPackage(_packages, version: "2.9.0");

        var nuget = Candidate(LibTorchSource.NuGetPackages);

        Assert.Equal(LibTorchCandidateStatus.WrongVersion, nuget.Status);
        Assert.Contains("libtorch-cpu-linux-x64 2.9.0 restored, this Shear needs 2.10.0", nuget.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Setup_FileChangedSinceSetup_IsIncomplete()
    {
        string folder = FakeLibTorch.Libraries(_root.File("set-up"));
        FakeLibTorch.Record(folder).Write(_record);
        File.AppendAllText(Path.Combine(folder, "libtorch_cpu.so"), "more bytes");

        var setup = Candidate(LibTorchSource.Setup);

        Assert.Equal(LibTorchCandidateStatus.Incomplete, setup.Status);
        Assert.Contains("libtorch_cpu.so missing or changed since setup", setup.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Setup_RecordOfAnotherVersion_IsWrongVersion()
    {
        string folder = FakeLibTorch.Libraries(_root.File("set-up"));
        FakeLibTorch.Record(folder, version: "2.7.1").Write(_record);

        var setup = Candidate(LibTorchSource.Setup);

        Assert.Equal(LibTorchCandidateStatus.WrongVersion, setup.Status);
        Assert.Contains("set up libtorch 2.7.1, this Shear needs 2.10.0", setup.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Setup_CorruptRecord_IsIncomplete_NamingTheFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_record)!);
        File.WriteAllText(_record, "{ not json");

        var setup = Candidate(LibTorchSource.Setup);

        Assert.Equal(LibTorchCandidateStatus.Incomplete, setup.Status);
        Assert.Contains(_record, setup.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Python_OtherVersion_IsWrongVersion()
    {
        FakeLibTorch.PythonTorch(_site, "1.13.0a0+git");

        var resolution = Resolve();

        Assert.Null(resolution.Chosen);
        var python = resolution.Considered.Single(c => c.Source == LibTorchSource.Python);
        Assert.Equal(LibTorchCandidateStatus.WrongVersion, python.Status);
        Assert.Contains("libtorch 1.13.0a0+git, this Shear needs 2.10.0", python.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Application_MissingOrEmptyLibrary_IsIncomplete_NamingIt()
    {
        FakeLibTorch.Libraries(_app, null, "libtorch.so");
        File.WriteAllBytes(Path.Combine(_app, "libc10.so"), []);

        var application = Candidate(LibTorchSource.Application);

        Assert.Equal(LibTorchCandidateStatus.Incomplete, application.Status);
        Assert.Equal("libc10.so, libtorch.so missing or empty", application.Detail);
    }

    [Fact]
    public void CudaFolder_IsRecognised_AndNeedsItsCudaLibraries()
    {
        string folder = FakeLibTorch.Libraries(_root.File("cuda"), FakeLibTorch.Cuda);

        var chosen = Resolve(folder).Chosen!;
        Assert.Equal("cuda-12.8", chosen.Flavour!.Name);
        Assert.Contains("libtorch_cuda.so", chosen.Flavour.LibraryFiles);

        File.Delete(Path.Combine(folder, "libc10_cuda.so"));
        var resolution = Resolve(folder);
        Assert.Null(resolution.Chosen);
        Assert.Contains("libc10_cuda.so missing or empty", resolution.Considered[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Flavours_UnknownName_ListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => LibTorchFlavours.Find("rocm", "linux-x64"));
        Assert.Equal("unknown libtorch flavour 'rocm'; known flavours: cpu, cuda-12.8.", error.Message);

        var elsewhere = Assert.Throws<ArgumentException>(() => LibTorchFlavours.Find("cuda-12.8", "osx-arm64"));
        Assert.Contains("not published for osx-arm64", elsewhere.Message, StringComparison.Ordinal);
        Assert.Contains("flavours for osx-arm64: cpu", elsewhere.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("linux-x64", "libtorch_cpu.so")]
    [InlineData("win-x64", "torch_cpu.dll")]
    [InlineData("osx-arm64", "libtorch_cpu.dylib")]
    public void NativeFileNames_FollowEachPlatform(string rid, string expected) =>
        Assert.Equal(expected, NativeFileName.For("torch_cpu", rid));

    [Fact]
    public void Flavours_EachPlatformAndNameOnce_PackageIdsFollowTorchSharp()
    {
        Assert.Equal(LibTorchFlavours.All.Count, LibTorchFlavours.All.Select(f => (f.Name, f.Rid)).Distinct().Count());
        Assert.All(LibTorchFlavours.All, f => Assert.Equal($"libtorch-{f.Name}-{f.Rid}", f.PackageId));
        Assert.Equal(FakeLibTorch.Version, LibTorchFlavours.Version);
    }
}
