using Xunit;
using Xunit.Abstractions;

namespace Shear.Architecture;

/// <summary>Files stay small (STYLE.md B.5): a hard cap of 600 lines for source and 800 for tests.</summary>
public class SourceSizeTests(ITestOutputHelper output)
{
    [Fact]
    public void SourceFiles_NoneOverTheHardLimit_AndTheLargestArePrinted()
    {
        string root = RepositoryRoot.Find();
        var sizes = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}artifacts{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path: Path.GetRelativePath(root, f), Lines: File.ReadLines(f).Count()))
            .OrderByDescending(f => f.Lines).ToList();

        foreach (var (path, lines) in sizes.Take(10))
        {
            output.WriteLine($"{lines,5} {path}");
        }
        Assert.NotEmpty(sizes);
        Assert.All(sizes, f => Assert.True(f.Lines <= (f.Path.StartsWith("tests", StringComparison.Ordinal) ? 800 : 600), $"{f.Path} has {f.Lines} lines"));
    }
}

/// <summary>Finds the repository root from the test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Shear.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no Shear.slnx above {AppContext.BaseDirectory}");
    }
}
