using Shear.TestKit;
using Xunit;

namespace Shear.Runtime.LibTorch;

/// <summary>
/// <c>shear setup</c>'s work against a local feed holding a fake libtorch package: a real <c>dotnet restore</c>,
/// no network (the NuGet.Config lists only the feed), a private packages folder.
/// </summary>
public sealed class LibTorchInstallerTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private LibTorchInstallOptions Options(string version = FakeLibTorch.Version)
    {
        string feed = _root.File("feed");
        FakeLibTorchPackage.Write(feed);
        string config = FakeLibTorchPackage.ConfigFor(feed, _root.Path);
        return new LibTorchInstallOptions(FakeLibTorch.Cpu, version, [], config, _root.File("work"), _root.File("home/libtorch.json"))
        {
            PackagesFolder = _root.File("packages"),
        };
    }

    [Fact]
    public void Install_FromAFeed_VerifiesRecordsAndTheLocatorThenChoosesIt()
    {
        var options = Options();

        var record = LibTorchInstaller.Install(options, new Progress<string>());

        string expected = Path.Combine(_root.File("packages"), "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
        Assert.Equal(expected, record.Folder);
        Assert.StartsWith("SHA-512 of libtorch-cpu-linux-x64.2.10.0.nupkg matches", record.Verified, StringComparison.Ordinal);
        Assert.Equal(FakeLibTorch.Cpu.LibraryFiles.Order(), record.FileSizes.Keys.Order());
        Assert.Equal(record, LibTorchSetupRecord.Read(options.RecordFile)! with { FileSizes = record.FileSizes });
        var search = new LibTorchSearch(FakeLibTorch.Version, FakeLibTorch.Rid, [], null, options.RecordFile, _root.File("elsewhere"), []);
        var chosen = LibTorchLocator.Resolve(search).Chosen!;
        Assert.Equal(LibTorchSource.Setup, chosen.Source);
        Assert.Equal(expected, chosen.Folder);
    }

    [Fact]
    public void Install_PackageAlteredAfterDownload_FailsVerification()
    {
        var options = Options();
        LibTorchInstaller.Install(options, new Progress<string>());
        string package = Path.Combine(_root.File("packages"), "libtorch-cpu-linux-x64", "2.10.0", "libtorch-cpu-linux-x64.2.10.0.nupkg");
        File.AppendAllText(package, "tampered");

        var error = Assert.Throws<LibTorchNotFoundException>(() => LibTorchInstaller.Install(options, new Progress<string>()));

        Assert.Contains("SHA-512 differs from NuGet's record", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_VersionNotOnTheFeed_FailsWithNuGetsOwnWords()
    {
        var options = Options(version: "2.99.0");

        var error = Assert.Throws<LibTorchNotFoundException>(() => LibTorchInstaller.Install(options, new Progress<string>()));

        Assert.Contains("fetching libtorch-cpu-linux-x64 2.99.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("NU1102", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(options.RecordFile));
    }
}
