using TorchSharp;
using Xunit;

namespace Shear.Runtime;

/// <summary>Checks the ELF reading and patching on the real TorchSharp glue shipped with the build.</summary>
public class VersionWeakeningTests
{
    private static ElfFile Glue() =>
        ElfFile.Read(NativeLibraryLocator.FindInProbingPaths("libLibTorchSharp.so", typeof(torch).Assembly)
            ?? throw new InvalidOperationException("libLibTorchSharp.so is not in the test output"));

    [Fact]
    public void VersionNeeds_TorchSharpGlue_AsksLibStdCxxForGlibcxx3432()
    {
        var needs = Glue().VersionNeeds();

        var need = Assert.Single(needs, n => n.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.False(need.IsWeak);
    }

    [Fact]
    public void BlockingSymbols_TorchSharpGlue_NoRelocationBindsTheGcc13Version()
    {
        var glue = Glue();
        var need = glue.VersionNeeds().Single(n => n.Version == "GLIBCXX_3.4.32");

        var symbols = glue.UndefinedSymbolsWithVersion(need.Index);

        Assert.Equal("_ZSt21ios_base_library_initv", Assert.Single(symbols).Name);
        Assert.Empty(VersionWeakening.BlockingSymbols(glue, [need]));
    }

    [Fact]
    public void Weaken_TorchSharpGlue_ChangesOnlyTheFlagsAndMarksTheEntryWeak()
    {
        var glue = Glue();
        var need = glue.VersionNeeds().Single(n => n.Version == "GLIBCXX_3.4.32");

        byte[] patched = VersionWeakening.Weaken(glue, [need]);

        int changed = 0;
        for (int i = 0; i < patched.Length; i++)
        {
            if (patched[i] != glue.Bytes[i])
            {
                Assert.InRange(i, need.FlagsOffset, need.FlagsOffset + 1);
                changed++;
            }
        }
        Assert.Equal(1, changed);
        var reread = ElfFile.Parse(patched, "patched").VersionNeeds();
        Assert.True(reread.Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.All(reread.Where(n => n.Version != "GLIBCXX_3.4.32"), n => Assert.False(n.IsWeak));
    }

    [Fact]
    public void MissingVersions_AgainstALibraryDefiningEverything_IsEmpty()
    {
        var glue = Glue();
        // The glue's own needs, weakened, must no longer count as missing whatever libstdc++ says.
        var weakened = ElfFile.Parse(VersionWeakening.Weaken(glue, glue.VersionNeeds()), "weakened");
        var libStdCxx = ElfFile.Read(NativeLibraryLocator.FindSystem("libstdc++.so.6")!);

        Assert.Empty(VersionWeakening.MissingVersions(weakened, "libstdc++.so.6", libStdCxx));
    }

    [Fact]
    public void Parse_NotAnElfFile_ErrorNamesTheFile()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfFile.Parse(new byte[100], "/tmp/x.so"));
        Assert.Contains("/tmp/x.so", error.Message, StringComparison.Ordinal);
        Assert.Contains("magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Initialize_HostWithOldLibStdCxx_LoadsAVerifiedPatchedCopy()
    {
        var libStdCxx = ElfFile.Read(NativeLibraryLocator.FindSystem("libstdc++.so.6")!);
        bool old = !libStdCxx.VersionDefinitions().Contains("GLIBCXX_3.4.32");

        var report = TorchRuntime.Initialize();

        Assert.Equal(old ? TorchRuntimeMode.PatchedGlue : TorchRuntimeMode.NotNeeded, report.Mode);
        if (old)
        {
            Assert.Equal(["GLIBCXX_3.4.32"], report.MissingVersions);
            Assert.Equal(["c10", "torch_cpu", "torch"], report.Preloaded.Keys);
            Assert.True(File.Exists(report.PatchedGluePath));
        }
    }
}
