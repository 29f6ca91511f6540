using System.Reflection;
using Shear.Runtime.LibTorch;
using Shear.TestKit;
using Xunit;

namespace Shear.Cli;

/// <summary>What a user sees before and during <c>shear setup</c>, run as a real process.</summary>
public class SetupCommandTests
{
    private static Dictionary<string, string> NoLibTorch(TempDirectory folder) =>
        new() { [LibTorchSearch.EnvironmentVariable] = folder.File("no-libtorch-here") };

    [Fact]
    public void Train_WithoutAUsableLibTorch_ExitsEnvironment_SayingWhatToFix()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.RunWith(NoLibTorch(folder), folder.Path, "train", "--model", "mlp", "--epochs", "1");

        Assert.Equal(ExitCodes.Environment, outcome.ExitCode);
        Assert.Contains($"SHEAR_LIBTORCH={folder.File("no-libtorch-here")} does not name a usable libtorch", outcome.Errors, StringComparison.Ordinal);
        Assert.Contains("Fix or unset SHEAR_LIBTORCH", outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("runs")));
    }

    [Fact]
    public void Setup_UnknownFlavour_ExitsBadInput_ListingTheKnownOnes_EvenWithoutLibTorch()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.RunWith(NoLibTorch(folder), folder.Path, "setup", "--torch", "rocm-6");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("unknown libtorch flavour 'rocm-6'; known flavours: cpu, cuda-12.8.", outcome.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_WithoutLibTorch_ShowsWhereItLooked_AndExitsEnvironment()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.RunWith(NoLibTorch(folder), folder.Path, "doctor");

        Assert.Equal(ExitCodes.Environment, outcome.ExitCode);
        Assert.Contains("SHEAR_LIBTORCH", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("no such folder", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("does not name a usable libtorch", outcome.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void VersionFlag_PrintsTheOneVersion()
    {
        using var folder = new TempDirectory();
        string version = typeof(ShearCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var outcome = ShearProcess.RunWith(NoLibTorch(folder), folder.Path, "--version");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(version, outcome.Output.Trim());
        Assert.Equal(typeof(Runtime.TorchRuntime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion, version);
    }

    [Fact]
    public void Setup_FromAFeed_RecordsTheVerifiedPackage_InShearHome()
    {
        using var folder = new TempDirectory();
        string feed = folder.File("feed");
        FakeLibTorchPackage.Write(feed);
        FakeLibTorchPackage.ConfigFor(feed, folder.Path);
        var environment = new Dictionary<string, string> { ["SHEAR_HOME"] = folder.File("home"), ["NUGET_PACKAGES"] = folder.File("packages") };

        var outcome = ShearProcess.RunWith(environment, folder.Path, "setup", "--configfile", folder.File("NuGet.Config"));

        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        Assert.Contains("SHA-512 of libtorch-cpu-linux-x64.2.10.0.nupkg matches", outcome.Output, StringComparison.Ordinal);
        var record = LibTorchSetupRecord.Read(Path.Combine(folder.File("home"), "libtorch.json"))!;
        Assert.Equal(Path.Combine(folder.File("packages"), "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native"), record.Folder);
        Assert.Equal("cpu", record.Flavour);
    }
}
