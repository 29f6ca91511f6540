using Shear.Data;
using Shear.Experiments.Config;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;

namespace Shear.Experiments.Sweeps;

/// <summary>The runs of an experiment: one dense training per seed, then every method × sparsity × seed cell.
/// Methods that prune a trained model start from their seed's dense run instead of training their own.</summary>
public static class SweepPlan
{
    /// <summary>Expands <paramref name="config"/> for data of <paramref name="shape"/> and <paramref name="classes"/>.</summary>
    public static IReadOnlyList<RunSpec> Expand(ExperimentConfig config, string data, ImageShape shape, int classes)
    {
        var card = new ModelCard(config.Model, shape, classes, config.ModelOptions);
        var runs = new List<RunSpec>();
        foreach (long seed in config.Seeds)
        {
            var dense = RunSpec.Dense(card, data, config.Training with { Seed = seed });
            runs.Add(dense);
            foreach (var method in config.Methods)
            {
                var info = PruningMethods.Get(method.Key);
                // A method that finds its own sparsity runs once per seed, whatever the matrix lists.
                foreach (var target in method.Targets(info, config.Sparsities))
                {
                    var request = config.Request(method, target, seed);
                    // A method with its own epochs shares a dense run of that length (planned once, where first needed).
                    var own = info.PrunesTrainedModel ? RunSpec.Dense(card, data, request.Training) : null;
                    if (own is not null && runs.All(r => r.Id != own.Id))
                    {
                        runs.Add(own);
                    }
                    runs.Add(RunSpec.Prune(card, data, method.Key, request, own?.Id, target.IsPending ? Source(method, seed).Id : null));
                }
            }
        }
        return runs;

        // The run of the same seed that a sparsity-of entry copies from (the same spec its own entry plans).
        RunSpec Source(MethodEntry method, long seed)
        {
            var source = config.SourceOf(method);
            var request = config.Request(source, SparsityTarget.Automatic, seed);
            string? dense = PruningMethods.Get(source.Key).PrunesTrainedModel ? RunSpec.Dense(card, data, request.Training).Id : null;
            return RunSpec.Prune(card, data, source.Key, request, dense);
        }
    }

    /// <summary>The runs of shard <paramref name="shard"/> (1-based) of <paramref name="count"/>: every
    /// <paramref name="count"/>-th run, so shards are disjoint and together cover the plan.</summary>
    public static IReadOnlyList<RunSpec> Shard(IReadOnlyList<RunSpec> runs, int shard, int count) =>
        [.. runs.Where((_, i) => i % count == shard - 1)];
}
