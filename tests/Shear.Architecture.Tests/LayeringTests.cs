using System.Reflection;
using Xunit;

namespace Shear.Architecture;

/// <summary>The one-way project arrows of STYLE.md B.1/B.4, checked on the compiled assemblies.</summary>
public class LayeringTests
{
    private static readonly Dictionary<string, string[]> _allowedShearReferences = new()
    {
        ["Shear.Core"] = [],
        ["Shear.Pruning"] = ["Shear.Core"],
        ["Shear.Export"] = ["Shear.Core"],
        // The engine reads the model description and nothing else of Shear: an application can ship it alone.
        ["Shear.Inference"] = ["Shear.Core"],
        // Experiments reads Export for benchmarks of exported models (bench infer times ONNX Runtime too).
        ["Shear.Experiments"] = ["Shear.Core", "Shear.Pruning", "Shear.Export", "Shear.Inference"],
        ["shear"] = ["Shear.Core", "Shear.Pruning", "Shear.Export", "Shear.Inference", "Shear.Experiments"],
    };

    private static readonly string[] _uiAndFormatPackages = ["Spectre.Console", "System.CommandLine", "YamlDotNet", "ScottPlot", "Google.Protobuf", "Microsoft.Data.Sqlite"];

    [Theory]
    [InlineData("Shear.Core")]
    [InlineData("Shear.Pruning")]
    [InlineData("Shear.Export")]
    [InlineData("Shear.Inference")]
    [InlineData("Shear.Experiments")]
    [InlineData("shear")]
    public void References_EachAssembly_OnlyPointDownTheLayers(string assembly)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Shear", StringComparison.Ordinal) || n == "shear");

        Assert.All(references, r => Assert.Contains(r, _allowedShearReferences[assembly]));
    }

    [Theory]
    [InlineData("Shear.Core")]
    [InlineData("Shear.Pruning")]
    [InlineData("Shear.Inference")]
    [InlineData("Shear.Experiments")]
    public void References_LibraryAssemblies_NoConsoleOrCommandLinePackages(string assembly)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, r => _uiAndFormatPackages.Take(2).Contains(r));
        if (assembly is "Shear.Core" or "Shear.Pruning" or "Shear.Inference")
        {
            Assert.DoesNotContain(references, r => _uiAndFormatPackages.Contains(r));
        }
    }
}
