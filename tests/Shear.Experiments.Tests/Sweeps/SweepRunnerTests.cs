using Shear.Data;
using Shear.Experiments.Config;
using Shear.Experiments.Results;
using Shear.Pruning.Methods;
using Shear.TestKit;
using Shear.Training;
using Xunit;

namespace Shear.Experiments.Sweeps;

public class SweepRunnerTests
{
    private static readonly ExperimentConfig _config = new()
    {
        Name = "sweep",
        Model = "mlp",
        ModelOptions = new Models.ModelOptions { Widths = [16] },
        Training = new TrainingOptions { Epochs = 2, BatchSize = 32 },
        FinetuneEpochs = 1,
        Methods = [new MethodEntry("magnitude", new MethodOptions(), Pruning.Selection.SelectionKind.Global),
            new MethodEntry("snip", new MethodOptions(), Pruning.Selection.SelectionKind.Global)],
        Sparsities = [0.5, 0.8],
        Seeds = [1, 2],
    };

    private static DataSplit Data() => SyntheticData.Split(train: 96, test: 32, shape: new ImageShape(1, 6, 6));

    [Fact]
    public void Plan_SharesOneDenseRunPerSeedWithMagnitudeOnly()
    {
        using var data = Data();
        var plan = new SweepRunner(_config, data, "unused").Plan();

        Assert.Equal(2 + (2 * 2 * 2), plan.Count);
        var dense = plan.Where(r => r.Method is null).ToList();
        Assert.All(plan.Where(r => r.Method == "magnitude"), r => Assert.Equal(dense.Single(d => d.Seed == r.Seed).Id, r.DenseId));
        Assert.All(plan.Where(r => r.Method == "snip"), r => Assert.Null(r.DenseId));
        Assert.Equal(plan.Count, plan.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void Plan_MethodThatChoosesItsSparsity_RunsOncePerSeedFromTheSharedDenseRun()
    {
        using var data = Data();
        var config = _config with { Methods = [.. _config.Methods, new MethodEntry("dpp", new MethodOptions(), Pruning.Selection.SelectionKind.Global)] };

        var plan = new SweepRunner(config, data, "unused").Plan();

        var dpp = plan.Where(r => r.Method == "dpp").ToList();
        Assert.Equal([1L, 2L], dpp.Select(r => r.Seed));
        Assert.All(dpp, r => Assert.Equal(plan.Single(d => d.Method is null && d.Seed == r.Seed).Id, r.DenseId));
    }

    [Fact]
    public void Id_LeavesDefaultsOut_SoNewOptionsWithDefaultsKeepIds()
    {
        using var data = Data();
        var spec = new SweepRunner(_config, data, "unused").Plan().First(r => r.Method == "magnitude");

        string canonical = RunSpec.Canonical(spec).ToJsonString();

        Assert.DoesNotContain("lthRate", canonical, StringComparison.Ordinal);
        Assert.DoesNotContain("momentum", canonical, StringComparison.Ordinal);
        Assert.Contains("\"sparsity\":0.5", canonical, StringComparison.Ordinal);
        Assert.Contains("\"widths\":[16]", canonical, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_IdsDependOnlyOnSettings()
    {
        using var data = Data();
        var first = new SweepRunner(_config, data, "a").Plan().Select(r => r.Id).ToList();
        var again = new SweepRunner(_config, data, "b").Plan().Select(r => r.Id).ToList();
        var changed = new SweepRunner(_config with { FinetuneEpochs = 2 }, data, "a").Plan();

        Assert.Equal(first, again);
        Assert.Equal(first[0], changed[0].Id); // the dense run does not depend on fine-tuning
        Assert.NotEqual(first[^1], changed[^1].Id);
    }

    [Fact]
    public void Run_RandomChannelFromYaml_SharesTheDenseRunAndCompactsToEachTargetAboveTheFloor()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.yaml"), """
            name: structured
            data: fashion-mnist-subset
            model:
              key: mlp
              widths: [16, 8]
            training:
              epochs: 1
              batch: 32
            finetune:
              epochs: 1
            methods:
              - method: random-channel
                channel-floor: 4
            sparsities: [0.5, 0.8]
            seeds: [1]
            """);
        var config = ConfigLoader.Load(dir.File("c.yaml"));
        using var data = Data();

        var plan = new SweepRunner(config, data, dir.File("results")).Run();

        var dense = plan.Single(r => r.Method is null);
        Assert.All(plan.Where(r => r.Method is not null), r => Assert.Equal(dense.Id, r.DenseId));
        var results = ResultFiles.Scan(dir.File("results")).Where(r => r.Method == "random-channel").OrderBy(r => r.TargetSparsity).ToList();
        // 36 inputs, 4 classes. At 0.5 the groups keep 8 of 16 and 4 of 8; at 0.8 the floor of 4 holds both.
        Assert.Equal([((36 * 8) + 8) + ((8 * 4) + 4) + ((4 * 4) + 4), ((36 * 4) + 4) + ((4 * 4) + 4) + ((4 * 4) + 4)], results.Select(r => r.Parameters));
        Assert.All(results, r => Assert.True(File.Exists(Path.Combine(r.Path, "plans", "filters.json")), r.Path));
    }

    [Fact]
    public void Plan_SparsityOf_OneRunPerSeedThatWaitsForThatSeedsSourceAndSharesItsDenseRun()
    {
        using var data = Data();
        var config = _config with
        {
            Methods = [.. _config.Methods, new MethodEntry("dpp", new MethodOptions(), Pruning.Selection.SelectionKind.Global),
                new MethodEntry("magnitude", new MethodOptions(), Pruning.Selection.SelectionKind.Global) { SparsityOf = "dpp" }],
        };

        var plan = new SweepRunner(config, data, "unused").Plan();

        var matched = plan.Where(r => r.MatchId is not null).ToList();
        Assert.Equal([1L, 2L], matched.Select(r => r.Seed));
        Assert.All(matched, r =>
        {
            var source = plan.Single(s => s.Id == r.MatchId);
            Assert.Equal(("dpp", r.Seed, r.DenseId), (source.Method, source.Seed, source.DenseId));
            Assert.StartsWith($"magnitude-as-dpp-seed{r.Seed}-", r.Folder, StringComparison.Ordinal);
            Assert.True(r.Request!.Target.IsPending);
        });
        Assert.Equal(plan.Count, plan.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void Run_SparsityOf_PrunesToTheSparsityThatSeedsSourceRunReached()
    {
        using var data = Data();
        using var dir = new TempDirectory();
        var config = _config with
        {
            Methods = [new MethodEntry("dpp", new MethodOptions(), Pruning.Selection.SelectionKind.Global),
                new MethodEntry("magnitude", new MethodOptions(), Pruning.Selection.SelectionKind.Global) { SparsityOf = "dpp" }],
        };

        // Shard 2 holds seed 2's matched run but not its source: it runs the source itself (shard 1 then skips it).
        var runner = new SweepRunner(config, data, dir.Path);
        var second = SweepPlan.Shard(runner.Plan(), 2, 2);
        Assert.Contains(second, r => r.MatchId is string source && second.All(s => s.Id != source));
        runner.Run(2, 2);
        runner.Run(1, 2);

        var results = ResultFiles.Scan(dir.Path);
        var dpp = results.Where(r => r.Method == "dpp").ToDictionary(r => r.Seed);
        var matched = results.Where(r => r.Method == "magnitude").ToList();
        Assert.Equal(2, dpp.Count);
        Assert.Equal(2, matched.Count);
        Assert.All(matched, r =>
        {
            Assert.Equal(Masks.SparsityTargetKind.Matched, r.Target.Kind);
            Assert.Equal(("dpp", dpp[r.Seed].Sparsity), (r.Target.Source, r.Target.Value!.Value));
            // Global magnitude reaches its target to within one weight of the counted ones.
            Assert.Equal(dpp[r.Seed].Sparsity, r.Sparsity, 2);
        });
        Assert.NotEqual(dpp[1].Sparsity, dpp[2].Sparsity);
    }

    [Fact]
    public void Run_KilledMidSweepThenRestarted_FinishesWithTheUninterruptedResults()
    {
        using var data = Data();
        using var whole = new TempDirectory();
        using var killed = new TempDirectory();
        new SweepRunner(_config, data, whole.Path).Run();

        var killer = new KillAtEpoch(7);
        Assert.Throws<OperationCanceledException>(() => new SweepRunner(_config, data, killed.Path) { Observer = killer }.Run());
        int finishedBeforeRestart = ResultFiles.Scan(killed.Path).Count;
        var counter = new CountRuns();
        new SweepRunner(_config, data, killed.Path) { Progress = counter }.Run();

        Assert.InRange(finishedBeforeRestart, 1, 9);
        Assert.Equal(finishedBeforeRestart, counter.AlreadyDone);
        AssertSameResults(ResultFiles.Scan(whole.Path), ResultFiles.Scan(killed.Path));
    }

    [Fact]
    public void Run_TwoShards_TogetherEqualTheWholeSweep()
    {
        using var data = Data();
        using var whole = new TempDirectory();
        using var sharded = new TempDirectory();
        new SweepRunner(_config, data, whole.Path).Run();

        var second = new SweepRunner(_config, data, sharded.Path).Run(2, 2);
        var first = new SweepRunner(_config, data, sharded.Path).Run(1, 2);

        Assert.Empty(first.Select(r => r.Id).Intersect(second.Select(r => r.Id)));
        AssertSameResults(ResultFiles.Scan(whole.Path), ResultFiles.Scan(sharded.Path));
    }

    private static void AssertSameResults(IReadOnlyList<ResultRecord> expected, IReadOnlyList<ResultRecord> actual)
    {
        Assert.Equal(10, expected.Count);
        Assert.Equal(expected.Select(r => (r.Id, r.Top1, r.Sparsity)).Order(), actual.Select(r => (r.Id, r.Top1, r.Sparsity)).Order());
    }

    private sealed class KillAtEpoch(int epochs) : ITrainingObserver
    {
        private int _seen;

        public void OnEpochEnd(EpochRecord record)
        {
            if (++_seen == epochs)
            {
                throw new OperationCanceledException("killed");
            }
        }
    }

    private sealed class CountRuns : ISweepObserver
    {
        public int AlreadyDone { get; private set; }

        public void OnPlan(int total, int done) => AlreadyDone = done;
    }
}
