using System.CommandLine;
using Shear.Cli.Console;
using Shear.Experiments.Config;
using Shear.Experiments.Sweeps;

namespace Shear.Cli.Commands;

/// <summary><c>shear run FILE</c>: every run of an experiment config, resumable and shardable.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var file = new Argument<string>("config") { Description = "Experiment YAML (see configs/)" };
        var output = new Option<string>("--out", "-o") { Description = "Results folder (the experiment gets a sub-folder)", DefaultValueFactory = _ => "results" };
        var shard = new Option<string>("--shard") { Description = "K/N: run only the K-th of N disjoint slices (for job arrays)", DefaultValueFactory = _ => "1/1" };
        var command = new Command("run", "Run an experiment: dense baselines and methods x sparsities x seeds. Finished runs are skipped, "
            + "interrupted ones resume.") { file, output, shard };
        common.AddTo(command, includeModel: false, includeData: false);
        command.Options.Remove(common.Seed);
        CommandAction.Set(command, result =>
        {
            var (k, n) = ParseShard(result.GetValue(shard)!);
            string path = result.GetValue(file)!;
            var config = ConfigLoader.Load(path);
            var device = common.Apply(result);
            using var data = config.LoadData();
            // Read again now that the training set's size is known, so that what depends on it (a rewind step
            // against the steps of a round) is an error at its key before any run starts, not hours into the sweep.
            config = ConfigLoader.Load(path, data.Train.Count);
            var runs = SweepProgress.Show((observer, progress) => new SweepRunner(config, data, result.GetValue(output)!)
            {
                Device = device,
                Observer = observer,
                Progress = progress,
                OnStep = progress.StartStep,
            }.Run(k, n));
            global::System.Console.WriteLine($"{runs.Count} runs of {config.Name} (shard {k}/{n}) are in {Path.Combine(result.GetValue(output)!, config.Name)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static (int Shard, int Count) ParseShard(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], out int k) && int.TryParse(parts[1], out int n) && n >= 1 && k >= 1 && k <= n
            ? (k, n)
            : throw new UsageException($"--shard: '{text}' is not K/N with 1 <= K <= N, e.g. 2/4");
    }
}
