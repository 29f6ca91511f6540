using System.Text.Json;
using Microsoft.Data.Sqlite;
using Shear.Experiments.Runs;
using Shear.TestKit;
using Xunit;

namespace Shear.Experiments.Results;

[Collection(TinyRunsGroup.Name)]
public class ResultsIndexTests(TinyRuns runs)
{
    [Fact]
    public void Refresh_FolderOfRuns_IndexesEveryRunWithItsScalarColumnsAndLeavesNoTemporaryFile()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.Path);

        var index = ResultsIndex.Refresh(folder.Path);

        Assert.Equal(4, index.Count);
        Assert.Equal([ResultsIndex.FileName], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        var scanned = ResultFiles.Read(folder.File("sweep/run-a/result.json"));
        using var connection = new SqliteConnection($"Data Source={index.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, experiment, command, model, method, target_sparsity, sparsity, seed, top1, "
            + "macs_effective, nonzero_parameters, epochs FROM runs WHERE path = 'sweep/run-a'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal([TinyRuns.SweepId, TinyRuns.Experiment, "prune", "mlp", "magnitude"],
            Enumerable.Range(0, 5).Select(reader.GetString));
        Assert.Equal(0.75, reader.GetDouble(5));
        Assert.Equal(scanned.Sparsity, reader.GetDouble(6));
        Assert.Equal(1, reader.GetInt64(7));
        Assert.Equal(scanned.Top1, reader.GetDouble(8));
        Assert.Equal(scanned.MacsEffective, reader.GetInt64(9));
        Assert.Equal(scanned.NonZeroParameters, reader.GetInt64(10));
        Assert.Equal(2, reader.GetInt32(11));
    }

    [Fact]
    public void List_NoFilter_ReturnsExactlyTheScannedRecordsInPathOrder()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.Path);

        var listed = ResultsIndex.Refresh(folder.Path).List(new RunFilter());

        var scanned = ResultFiles.Scan(folder.Path);
        Assert.Equal(scanned.Select(Json), listed.Select(Json));
    }

    [Theory]
    [InlineData("mlp", null, null, null, null, 4)]
    [InlineData("resnet20", null, null, null, null, 0)]
    [InlineData(null, "dense", null, null, null, 1)]
    [InlineData(null, "magnitude", 0.5, null, null, 2)]
    [InlineData(null, null, 0.5 + 1e-12, null, null, 2)]
    [InlineData(null, null, 0.5 + 1e-6, null, null, 0)]
    [InlineData(null, "magnitude", 0.5, 2L, null, 1)]
    [InlineData(null, null, null, 1L, null, 3)]
    [InlineData(null, null, null, null, TinyRuns.Experiment, 1)]
    [InlineData(null, null, null, null, "", 3)]
    public void List_Filter_ReturnsOnlyTheMatchingRuns(string? model, string? method, double? sparsity, long? seed, string? experiment, int expected)
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.Path);
        var filter = new RunFilter { Model = model, Method = method, Sparsity = sparsity, Seed = seed, Experiment = experiment };

        var listed = ResultsIndex.Refresh(folder.Path).List(filter);

        Assert.Equal(expected, listed.Count);
        Assert.All(listed, r => Assert.True((model ?? r.Model) == r.Model && (method ?? r.Method) == r.Method
            && (seed ?? r.Seed) == r.Seed && (experiment ?? r.Experiment) == r.Experiment
            && Math.Abs((sparsity ?? r.TargetSparsity) - r.TargetSparsity) <= RunFilter.SparsityTolerance));
    }

    [Fact]
    public void Refresh_RunFolderDeletedAndAnotherChanged_DropsTheOneAndUpdatesTheOther()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.Path);
        ResultsIndex.Refresh(folder.Path);
        Directory.Delete(folder.File("magnitude-s2"), recursive: true);
        File.WriteAllText(folder.File("dense/run.json"), """{ "experiment": "baselines", "id": "dense-7" }""");

        var index = ResultsIndex.Refresh(folder.Path);

        Assert.Equal(["dense", "magnitude-s1", "sweep/run-a"], index.List(new RunFilter()).Select(r => Relative(folder, r)));
        var dense = Assert.Single(index.List(new RunFilter { Experiment = "baselines" }));
        Assert.Equal("dense-7", dense.Id);
    }

    [Fact]
    public void Refresh_FolderMoved_KeepsWorkingBecausePathsAreRelative()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.File("a"));
        ResultsIndex.Refresh(folder.File("a"));
        Directory.Move(folder.File("a"), folder.File("b"));

        var index = ResultsIndex.Refresh(folder.File("b"));

        Assert.All(index.List(new RunFilter()), r => Assert.StartsWith(folder.File("b"), r.Path, StringComparison.Ordinal));
        Assert.Equal(4, index.Count);
    }

    [Fact]
    public void Refresh_DamagedIndexFile_IsRebuiltFromTheRunFolders()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.Path);
        File.WriteAllText(folder.File(ResultsIndex.FileName), "this is not an SQLite database, but long enough to look like one");

        var index = ResultsIndex.Refresh(folder.Path);

        Assert.Equal(4, index.Count);
    }

    [Fact]
    public void Refresh_ConcurrentCallers_EachSucceedAndLeaveOneCompleteIndex()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.Path);

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => ResultsIndex.Refresh(folder.Path));

        Assert.Equal(4, ResultsIndex.Refresh(folder.Path).Count);
        Assert.Equal([ResultsIndex.FileName], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Refresh_MissingFolder_ThrowsNamingItAndCreatesNothing()
    {
        using var folder = new TempDirectory();
        string missing = folder.File("no/such/results");

        var error = Assert.Throws<DirectoryNotFoundException>(() => ResultsIndex.Refresh(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Theory]
    [InlineData(TinyRuns.SweepId, "sweep/run-a")]
    [InlineData("3f9c", "sweep/run-a")]
    [InlineData("magnitude-s2", "magnitude-s2")]
    [InlineData("sweep/run-a", "sweep/run-a")]
    public void Get_IdUniquePrefixOrPath_ReturnsThatRun(string id, string expected)
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.Path);

        var run = ResultsIndex.Refresh(folder.Path).Get(id);

        Assert.Equal(expected, Relative(folder, run));
    }

    [Fact]
    public void Get_AmbiguousPrefix_NamesTheIdAndEveryCandidate()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.Path);

        var error = Assert.Throws<ArgumentException>(() => ResultsIndex.Refresh(folder.Path).Get("magnitude"));

        Assert.Contains("run id 'magnitude' is ambiguous", error.Message, StringComparison.Ordinal);
        Assert.Contains("magnitude-s1 (magnitude-s1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("magnitude-s2 (magnitude-s2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_UnknownId_NamesTheIdAndTheFolder()
    {
        using var folder = new TempDirectory();
        runs.CopyTo(folder.Path);

        var error = Assert.Throws<ArgumentException>(() => ResultsIndex.Refresh(folder.Path).Get("zzz"));

        Assert.Equal($"{folder.Path}: no run with id 'zzz' (4 runs indexed)", error.Message);
    }

    private static string Json(ResultRecord record) => JsonSerializer.Serialize(record, RunResult.JsonOptions);

    private static string Relative(TempDirectory folder, ResultRecord run) => Path.GetRelativePath(folder.Path, run.Path).Replace('\\', '/');
}
