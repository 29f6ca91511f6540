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
            runs.Add(RunSpec.Dense(card, data, config.Training with { Seed = seed }));
            foreach (var method in config.Methods)
            {
                // A method that finds its own sparsity runs once per seed, whatever the matrix lists.
                foreach (var target in method.Targets(PruningMethods.Get(method.Key), config.Sparsities))
                {
                    var (own, run) = Cell(method, target, seed);
                    // A method with its own epochs shares a dense run of that length (planned once, where first needed).
                    if (own is not null && runs.All(r => r.Id != own.Id))
                    {
                        runs.Add(own);
                    }
                    runs.Add(run);
                }
            }
        }
        return runs;

        // One cell of the matrix: its pruning run and the dense run it starts from (null for a method that trains).
        (RunSpec? Dense, RunSpec Run) Cell(MethodEntry method, SparsityTarget target, long seed)
        {
            var request = config.Request(method, target, seed);
            var own = PruningMethods.Get(method.Key).PrunesTrainedModel ? RunSpec.Dense(card, data, request.Training) : null;
            // A sparsity-of entry names the run of the same seed it copies from: the cell its source entry plans.
            string? match = target.IsPending ? Cell(config.SourceOf(method), SparsityTarget.Automatic, seed).Run.Id : null;
            return (own, RunSpec.Prune(card, data, method.Key, request, own?.Id, match));
        }
    }

    /// <summary>The runs of shard <paramref name="shard"/> (1-based) of <paramref name="count"/>: every
    /// <paramref name="count"/>-th run, so shards are disjoint and together cover the plan.</summary>
    public static IReadOnlyList<RunSpec> Shard(IReadOnlyList<RunSpec> runs, int shard, int count) =>
        [.. runs.Where((_, i) => i % count == shard - 1)];
}
