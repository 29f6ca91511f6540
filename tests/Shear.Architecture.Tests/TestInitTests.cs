using Xunit;

namespace Shear.Architecture;

/// <summary>
/// Every test project that can touch TorchSharp loads libtorch through Shear first: without it, whichever test
/// happens to run first on a Debian 12 machine decides whether the whole project passes (CI, stop 29).
/// </summary>
public class TestInitTests
{
    private static readonly string[] _withoutTorch = ["Shear.Architecture.Tests", "Shear.TestKit"];

    [Fact]
    public void TestProjects_EachInitialisesTorchRuntimeInAModuleInitializer()
    {
        string tests = Path.Combine(RepositoryRoot.Find(), "tests");
        var projects = Directory.EnumerateFiles(tests, "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetDirectoryName(p)!)
            .Where(d => !_withoutTorch.Contains(Path.GetFileName(d)))
            .ToList();

        Assert.NotEmpty(projects);
        Assert.All(projects, dir =>
        {
            string init = Path.Combine(dir, "AssemblyInit.cs");
            Assert.True(File.Exists(init), $"{Path.GetFileName(dir)} has no AssemblyInit.cs");
            string text = File.ReadAllText(init);
            Assert.Contains("[ModuleInitializer]", text, StringComparison.Ordinal);
            Assert.Contains("TorchRuntime.Initialize()", text, StringComparison.Ordinal);
        });
    }
}
