using System.Diagnostics;
using Shear.Data;
using Shear.Models;
using Shear.Runtime;
using Shear.Training;
using static TorchSharp.torch;

namespace Shear.Experiments.Benchmarks;

/// <summary>What <c>shear bench train</c> measures; the PyTorch peer (<c>peers/bench_train.py</c>) takes the same.</summary>
public sealed record TrainingBenchmarkOptions
{
    /// <summary>Zoo key.</summary>
    public string Model { get; init; } = "lenet5";

    /// <summary>Image shape of the synthetic data.</summary>
    public ImageShape Input { get; init; } = new(1, 28, 28);

    /// <summary>Classes.</summary>
    public int Classes { get; init; } = 10;

    /// <summary>Batch size.</summary>
    public int Batch { get; init; } = 128;

    /// <summary>Untimed steps first (allocator and kernel warm-up).</summary>
    public int WarmupSteps { get; init; } = 5;

    /// <summary>Steps per timed block.</summary>
    public int Steps { get; init; } = 30;

    /// <summary>Timed blocks; the median is reported.</summary>
    public int Repeats { get; init; } = 5;
}

/// <summary>Images per second of one figure: median, minimum and maximum over the timed blocks.</summary>
/// <param name="Median">Median over blocks.</param>
/// <param name="Min">Slowest block.</param>
/// <param name="Max">Fastest block.</param>
public sealed record Throughput(double Median, double Min, double Max)
{
    /// <summary>Summarises per-block figures.</summary>
    public static Throughput Of(IReadOnlyList<double> blocks)
    {
        var sorted = blocks.Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new Throughput(median, sorted[0], sorted[^1]);
    }
}

/// <summary>Measures training throughput the way the peer does: in-memory uint8 batches, normalise, forward,
/// cross-entropy, backward, SGD step.</summary>
public static class TrainingBenchmark
{
    private const int BatchesInMemory = 60;

    /// <summary>Runs the benchmark on <paramref name="device"/>; returns per-block throughput and peak memory.</summary>
    public static (Throughput ImagesPerSecond, double PeakRssMib) Run(TrainingBenchmarkOptions options, Device device)
    {
        var card = new ModelCard(options.Model, options.Input, options.Classes, new ModelOptions());
        using var model = card.Create(seed: 1, device);
        var random = new RandomSource(1);
        int count = options.Batch * BatchesInMemory;
        using var generator = random.Generator("bench-data");
        using var data = new ImageDataset(randint(0, 256, [count, options.Input.Channels, options.Input.Height, options.Input.Width], dtype: ScalarType.Byte, generator: generator),
            randint(0, options.Classes, [count], dtype: ScalarType.Int64, generator: generator), Enumerable.Range(0, options.Classes).Select(i => $"{i}").ToArray(), "synthetic");
        using var source = new BatchSource(data, new Normalization([0.2860], [0.3530]), device);
        var recipe = new TrainingOptions { LearningRate = 0.01, Momentum = 0.9, WeightDecay = 5e-4 };
        using var optimizer = OptimizerFactory.Create(recipe, model.parameters());
        model.train();
        var batches = Batches(source, options.Batch, random).GetEnumerator();
        void StepOnce()
        {
            using var scope = NewDisposeScope();
            batches.MoveNext();
            var (input, labels) = batches.Current;
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(input), labels).backward();
            optimizer.step();
        }
        for (int i = 0; i < options.WarmupSteps; i++)
        {
            StepOnce();
        }
        var blocks = new List<double>();
        for (int r = 0; r < options.Repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < options.Steps; i++)
            {
                StepOnce();
            }
            blocks.Add(options.Steps * options.Batch / clock.Elapsed.TotalSeconds);
        }
        return (Throughput.Of(blocks), PeakRssMib());
    }

    private static IEnumerable<(Tensor, Tensor)> Batches(BatchSource source, int batch, RandomSource random)
    {
        for (int epoch = 0; ; epoch++)
        {
            foreach (var pair in source.Shuffled(epoch, batch, random, AugmentationOptions.None))
            {
                yield return pair;
            }
        }
    }

    // VmHWM is the resident-set high-water mark, the same quantity as ru_maxrss that the peer reads.
    private static double PeakRssMib()
    {
        const string status = "/proc/self/status";
        string? line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }
}
