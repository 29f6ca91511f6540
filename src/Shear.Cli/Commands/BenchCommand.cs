using System.CommandLine;
using System.Text.Json;
using Shear.Cli.Console;
using Shear.Data;
using Shear.Experiments.Benchmarks;
using Shear.IO;
using Shear.Runtime;
using Spectre.Console;

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
        var command = new Command("train", "Training images/s of a zoo model on synthetic in-memory data.") { batch, steps, repeats, warmup, input, peer, json };
        common.AddTo(command, includeData: false);
        CommandAction.Set(command, result =>
        {
            var device = common.Apply(result);
            var shape = ParseShape(result.GetValue(input)!);
            var options = new TrainingBenchmarkOptions
            {
                Model = result.GetValue(common.Model)!, Input = shape, Batch = result.GetValue(batch),
                Steps = result.GetValue(steps), Repeats = result.GetValue(repeats), WarmupSteps = result.GetValue(warmup),
            };
            var (ours, rss) = TrainingBenchmark.Run(options, device);
            var table = new Table().Title($"train {options.Model}, batch {options.Batch}, {TorchSharp.torch.get_num_threads()} threads")
                .AddColumns("runner", "median img/s", "min", "max", "peak RSS MiB", "ratio");
            table.AddRow("shear", Fmt(ours.Median), Fmt(ours.Min), Fmt(ours.Max), Fmt(rss), "1.00");
            object? peerFigures = null;
            if (result.GetValue(peer) is string python)
            {
                var (theirs, peerRss, problem) = PeerBenchmark.Run(python, Path.Combine("peers", "bench_train.py"), options, TorchSharp.torch.get_num_threads());
                if (theirs is null)
                {
                    throw new UsageException($"--peer: {problem}");
                }
                table.AddRow("pytorch", Fmt(theirs.Median), Fmt(theirs.Min), Fmt(theirs.Max), Fmt(peerRss), $"shear/pytorch = {ours.Median / theirs.Median:F2}");
                peerFigures = new { imagesPerSecond = theirs, peakRssMib = peerRss, ratio = ours.Median / theirs.Median };
            }
            AnsiConsole.Write(table);
            if (result.GetValue(json) is string path)
            {
                var document = new { schema = 1, options, shear = new { imagesPerSecond = ours, peakRssMib = rss }, peer = peerFigures, environment = RunEnvironment.Capture(device) };
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(document, Shear.Experiments.Runs.RunResult.JsonOptions));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static ImageShape ParseShape(string text)
    {
        var parts = text.Split('x');
        return parts.Length == 3 && parts.All(p => int.TryParse(p, System.Globalization.CultureInfo.InvariantCulture, out int v) && v > 0)
            ? new ImageShape(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture))
            : throw new UsageException($"--input: '{text}' is not CxHxW, e.g. 1x28x28");
    }

    private static string Fmt(double value) => ResultTables.Cell(value, "F1");
}
