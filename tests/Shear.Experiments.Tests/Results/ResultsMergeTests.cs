using Shear.TestKit;
using Xunit;

namespace Shear.Experiments.Results;

[Collection(TinyRunsGroup.Name)]
public class ResultsMergeTests(TinyRuns runs)
{
    [Fact]
    public void Merge_TwoShardsSharingOneIdenticalRun_DestinationHoldsTheUnionFileForFile()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.File("a"), "dense");
        runs.CopyTo(folder.File("a"), "magnitude-s1");
        runs.CopyTo(folder.File("b"), "dense");
        runs.CopyTo(folder.File("b"), "magnitude-s2");
        runs.CopyTo(folder.File("b"), "sweep");

        var outcome = ResultsMerge.Merge([folder.File("a"), folder.File("b")], folder.File("all"));

        Assert.Equal(["dense", "magnitude-s1", "magnitude-s2", Path.Combine("sweep", "run-a")], outcome.Copied);
        Assert.Equal(["dense"], outcome.Skipped);
        Assert.Equal(Tree(runs.Template), Tree(folder.File("all")).Where(f => f.Name != ResultsIndex.FileName));
        Assert.Equal(4, outcome.Index.Count);
        Assert.Equal(TinyRuns.SweepId, Assert.Single(outcome.Index.List(new RunFilter { Experiment = TinyRuns.Experiment })).Id);
    }

    [Fact]
    public void Merge_IntoDestinationAlreadyHoldingTheRuns_SkipsThemAndCopiesNothing()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.File("a"));
        runs.CopyTo(folder.File("all"));

        var outcome = ResultsMerge.Merge([folder.File("a")], folder.File("all"));

        Assert.Empty(outcome.Copied);
        Assert.Equal(4, outcome.Skipped.Count);
        Assert.Equal(4, outcome.Index.Count);
    }

    [Fact]
    public void Merge_SameRunPathWithDifferentContent_FailsNamingBothFoldersAndCopiesNothing()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.File("a"), "dense");
        runs.CopyTo(folder.File("a"), "magnitude-s1");
        runs.CopyTo(folder.File("b"), "magnitude-s1");
        File.AppendAllText(folder.File("b/magnitude-s1/model.json"), "\n");

        var error = Assert.Throws<InvalidOperationException>(() => ResultsMerge.Merge([folder.File("a"), folder.File("b")], folder.File("all")));

        Assert.Contains(folder.File("a/magnitude-s1"), error.Message, StringComparison.Ordinal);
        Assert.Contains(folder.File("b/magnitude-s1"), error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("all")));
    }

    [Fact]
    public void Merge_DestinationRunDiffersFromTheSource_FailsNamingBoth()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.File("a"), "dense");
        runs.CopyTo(folder.File("all"), "dense");
        File.WriteAllText(folder.File("all/dense/notes.txt"), "extra file");

        var error = Assert.Throws<InvalidOperationException>(() => ResultsMerge.Merge([folder.File("a")], folder.File("all")));

        Assert.Contains(folder.File("all/dense"), error.Message, StringComparison.Ordinal);
        Assert.Contains(folder.File("a/dense"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_MissingSource_ThrowsNamingIt()
    {
        using var folder = new TempDirectory();

        var error = Assert.Throws<DirectoryNotFoundException>(() => ResultsMerge.Merge([folder.File("nope")], folder.File("all")));

        Assert.Contains(folder.File("nope"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_DestinationInsideASource_IsRefused()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.File("a"), "dense");

        var error = Assert.Throws<ArgumentException>(() => ResultsMerge.Merge([folder.File("a")], folder.File("a/merged")));

        Assert.Contains("lies inside the source", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every file under <paramref name="root"/>: relative name and bytes.</summary>
    private static IEnumerable<(string Name, string Bytes)> Tree(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(root, f), Convert.ToBase64String(File.ReadAllBytes(f))));
}
