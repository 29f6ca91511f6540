using System.CommandLine;
using System.Text.Json;
using Shear.Cli.Console;
using Shear.Experiments.Benchmarks;
using Shear.IO;
using Shear.Runtime;

namespace Shear.Cli.Commands;

/// <summary><c>shear bench train</c>: training throughput and peak memory, beside the PyTorch peer run in the same session.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure speed and memory (medians, and ratios against a PyTorch peer).");
        bench.Add(CreateTrain());
        return bench;
    }

    private static Command CreateTrain()
    {
        var common = new CommonOptions();
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 128 };
        var steps = new Option<int>("--steps") { Description = "Steps per timed block", DefaultValueFactory = _ => 30 };
        var repeats = new Option<int>("--repeats") { Description = "Timed blocks (median reported)", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup-steps") { Description = "Untimed steps first", DefaultValueFactory = _ => 5 };
        var input = new Option<string>("--input") { Description = "Synthetic image shape CxHxW", DefaultValueFactory = _ => "1x28x28" };
        var peer = new Option<string?>("--peer") { Description = "Python with PyTorch to run peers/bench_train.py beside Shear, e.g. /usr/bin/python3" };
        var json = new Option<string?>("--json") { Description = "Write the figures as JSON to this file" };
        var rounds = new Option<int>("--rounds") { Description = "Rounds; Shear and the peer alternate round by round", DefaultValueFactory = _ => 3 };
        var sparsity = new Option<double>("--sparsity") { Description = "Also time the model pruned to this sparsity with its mask enforced (0 = dense only)" };
        var command = new Command("train", "Training images/s of a zoo model on synthetic in-memory data.") { batch, steps, repeats, warmup, input, peer, json, rounds, sparsity };
        common.AddTo(command, includeData: false);
        CommandAction.Set(command, result =>
        {
            var device = common.Apply(result);
            var shape = CommonOptions.ParseShape(result.GetValue(input)!);
            var options = new TrainingBenchmarkOptions
            {
                Model = result.GetValue(common.Model)!, ModelOptions = common.ModelOptions(result), Input = shape, Batch = result.GetValue(batch),
                Steps = result.GetValue(steps), Repeats = result.GetValue(repeats), WarmupSteps = result.GetValue(warmup),
                Rounds = result.GetValue(rounds), Sparsity = result.GetValue(sparsity),
            };
            var figures = TrainingComparison.Run(options, device, result.GetValue(peer));
            BenchTables.Print(options, figures);
            if (result.GetValue(json) is string path)
            {
                var document = new { schema = 2, options, figures, environment = RunEnvironment.Capture(device) };
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(document, Shear.Experiments.Runs.RunResult.JsonOptions));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

}
