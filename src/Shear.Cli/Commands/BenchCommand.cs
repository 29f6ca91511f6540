using System.CommandLine;
using System.Text.Json;
using Shear.Cli.Console;
using Shear.Experiments.Benchmarks;
using Shear.IO;
using Shear.Runtime;

namespace Shear.Cli.Commands;

/// <summary><c>shear bench train</c>: training throughput and peak memory, beside the PyTorch peer run in the same
/// session; <c>shear bench infer</c>: forward latency of a saved model against a baseline (dense against compacted),
/// in Shear, in ONNX Runtime and, with a peer, in PyTorch.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure speed and memory (medians, and ratios against a PyTorch peer).");
        bench.Add(CreateTrain());
        bench.Add(CreateInfer());
        bench.Add(CreateKernels());
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
        var handWritten = new Option<bool>("--handwritten") { Description = "Also time the model written by hand as a plain TorchSharp module (same weights): the graph's overhead" };
        var models = new Option<string?>("--models") { Description = "Comma-separated zoo keys, each measured in fresh processes (with --peer, and --handwritten); needs --markdown" };
        var markdown = new Option<string?>("--markdown") { Description = "With --models: write the table, machine and settings to this Markdown file" };
        var command = new Command("train", "Training images/s of a zoo model on synthetic in-memory data.")
            { batch, steps, repeats, warmup, input, peer, json, rounds, sparsity, handWritten, models, markdown };
        common.AddTo(command, includeData: false);
        CommandAction.Set(command, result =>
        {
            var device = common.Apply(result);
            var shape = CommonOptions.ParseShape(result.GetValue(input)!);
            var options = new TrainingBenchmarkOptions
            {
                Model = result.GetValue(common.Model)!, ModelOptions = common.ModelOptions(result), Input = shape, Batch = result.GetValue(batch),
                Steps = result.GetValue(steps), Repeats = result.GetValue(repeats), WarmupSteps = result.GetValue(warmup),
                Rounds = result.GetValue(rounds), Sparsity = result.GetValue(sparsity), HandWritten = result.GetValue(handWritten),
            };
            if (result.GetValue(models) is string list)
            {
                var keys = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var known = Models.ModelZoo.All.Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
                string? unknown = keys.FirstOrDefault(k => !known.Contains(k));
                if (keys.Length == 0 || unknown is not null)
                {
                    throw new UsageException($"--models: '{unknown ?? list}' is not a zoo key ({string.Join(", ", known)})");
                }
                string target = result.GetValue(markdown) ?? throw new UsageException("--models needs --markdown FILE for the table");
                string[] machine = ["--threads", $"{result.GetValue(common.Threads)}", "--device", $"{result.GetValue(common.Device)}"];
                TrainingTableRunner.Run(keys, options, machine, result.GetValue(peer), target);
                return ExitCodes.Ok;
            }
            if (options.HandWritten && !HandWrittenModels.Keys.Contains(options.Model))
            {
                throw new UsageException($"--handwritten: {HandWrittenModels.Missing(options.Model)}");
            }
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

    private static Command CreateInfer()
    {
        var common = new CommonOptions();
        var model = new Option<string>("--model-dir") { Description = "Folder with the model to time (model.json + model.bin), e.g. a compacted run", Required = true };
        var baseline = new Option<string>("--baseline") { Description = "Folder with the model it is compared with, e.g. the dense run it was pruned from", Required = true };
        var batches = new Option<string>("--batches") { Description = "Batch sizes, comma-separated", DefaultValueFactory = _ => "1,64" };
        var repeats = new Option<int>("--repeats") { Description = "Timed blocks per model, runtime and batch size (median reported)", DefaultValueFactory = _ => 7 };
        var noOnnx = new Option<bool>("--no-onnx") { Description = "Skip the ONNX Runtime timings" };
        var noEngine = new Option<bool>("--no-engine") { Description = "Skip the timings of Shear's own engine (runtime shear-sparse)" };
        var threadCounts = new Option<string>("--thread-counts")
        {
            Description = "Intra-op thread counts every runtime is timed at, comma-separated (default: 1 and every core)",
            DefaultValueFactory = _ => $"1,{Environment.ProcessorCount}",
        };
        var json = new Option<string?>("--json") { Description = "Write the figures as JSON to this file" };
        var peer = new Option<string?>("--peer") { Description = "Python with PyTorch to time the same models in eager PyTorch too (peers/bench_infer.py), e.g. /usr/bin/python3" };
        var command = new Command("infer", "Forward latency of a model against a baseline (e.g. compacted vs dense), beside their MAC ratio, in ONNX Runtime (the headline), Shear (libtorch), Shear's own engine (shear-sparse) and optionally PyTorch, at each thread count.")
            { model, baseline, batches, repeats, noOnnx, noEngine, threadCounts, json, peer };
        common.AddTo(command, includeModel: false, includeData: false);
        CommandAction.Set(command, result =>
        {
            var device = common.Apply(result);
            var folders = new[] { ("baseline", result.GetValue(baseline)!), ("model", result.GetValue(model)!) };
            foreach (var (flag, folder) in new[] { ("--baseline", folders[0].Item2), ("--model-dir", folders[1].Item2) })
            {
                if (!Models.ModelCard.Exists(folder))
                {
                    throw new UsageException($"{flag}: {folder} holds no saved model (model.json + model.bin)");
                }
            }
            int repeatCount = result.GetValue(repeats);
            var options = new InferenceBenchmarkOptions
            {
                Batches = CommonOptions.ParsePositiveInts(result.GetValue(batches)!, "--batches", "1,64"),
                Repeats = repeatCount >= 1 ? repeatCount : throw new UsageException($"--repeats must be at least 1, got {repeatCount}"),
                OnnxRuntime = !result.GetValue(noOnnx),
                Engine = !result.GetValue(noEngine),
                ThreadCounts = [.. CommonOptions.ParsePositiveInts(result.GetValue(threadCounts)!, "--thread-counts", "1,2").Distinct()],
                Peer = result.GetValue(peer),
            };
            var measured = InferenceBenchmark.Run(folders, options, device);
            BenchTables.PrintInference(measured, options.Headline);
            if (result.GetValue(json) is string path)
            {
                // 2: figures carry their thread count; every runtime is timed at each of options.threadCounts.
                // 3: with --peer, "pytorch" figures and a peer object (torch version, logit checks, or the problem);
                // "shear-sparse" figures (Shear's engine) unless --no-engine.
                var (models, figures, peerReport) = measured;
                var document = new { schema = 3, headline = options.Headline, options, models, figures, peer = peerReport, environment = RunEnvironment.Capture(device) };
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(document, Shear.Experiments.Runs.RunResult.JsonOptions));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateKernels()
    {
        var sparsities = new Option<string>("--sparsities") { Description = "Sparsities, comma-separated", DefaultValueFactory = _ => "0,0.3,0.5,0.6,0.7,0.8,0.9,0.95" };
        var batches = new Option<string>("--batches") { Description = "Batch sizes, comma-separated", DefaultValueFactory = _ => "1,64" };
        var repeats = new Option<int>("--repeats") { Description = "Timed blocks per kernel (median reported)", DefaultValueFactory = _ => 5 };
        var json = new Option<string?>("--json") { Description = "Write the figures as JSON to this file" };
        var command = new Command("kernels", "Dense against sparse (CSR) kernel latency of Shear's engine per layer type and sparsity, one thread: where sparse kernels start to pay.")
            { sparsities, batches, repeats, json };
        CommandAction.Set(command, result =>
        {
            double[] levels = [.. result.GetValue(sparsities)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out double s) && s is >= 0 and < 1 ? s
                    : throw new UsageException($"--sparsities: '{v}' is not a fraction in [0, 1)"))];
            int repeatCount = result.GetValue(repeats) is int r and >= 1 ? r : throw new UsageException($"--repeats must be at least 1, got {result.GetValue(repeats)}");
            var figures = KernelBenchmark.Run(levels, CommonOptions.ParsePositiveInts(result.GetValue(batches)!, "--batches", "1,64"), repeatCount);
            var breakEvens = KernelBenchmark.BreakEvens(figures).ToList();
            BenchTables.PrintKernels(figures, breakEvens);
            if (result.GetValue(json) is string path)
            {
                var document = new
                {
                    schema = 1, figures, breakEvens = breakEvens.Select(b => new { b.Layer, b.Batch, b.BreakEven }),
                    environment = RunEnvironment.Capture(TorchSharp.torch.CPU),
                };
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(document, Shear.Experiments.Runs.RunResult.JsonOptions));
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
