using System.Diagnostics;
using Shear.Data;
using Shear.Masks;
using Shear.Pruning;
using Shear.Pruning.Importance;
using Shear.Pruning.Selection;
using Shear.Models;
using Shear.Runtime;
using Shear.Graphs;
using Shear.Training;
using static TorchSharp.torch;

namespace Shear.Experiments.Benchmarks;

/// <summary>What <c>shear bench train</c> measures; the PyTorch peer (<c>peers/bench_train.py</c>) takes the same.</summary>
public sealed record TrainingBenchmarkOptions
{
    /// <summary>Zoo key.</summary>
    public string Model { get; init; } = "lenet5";

    /// <summary>Architecture options (widths, stem, channel multiplier).</summary>
    public ModelOptions ModelOptions { get; init; } = new();

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

    /// <summary>Timed blocks per round; the median over all rounds is reported.</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>Rounds; Shear and the peer alternate round by round so that machine noise hits both alike.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>When above 0, also time a model pruned to this global magnitude sparsity with its mask enforced
    /// before forward, on gradients and after the step (as pruning methods train), beside the dense one.</summary>
    public double Sparsity { get; init; }

    /// <summary>Also time the model written by hand as a plain TorchSharp module (<see cref="HandWrittenModels"/>),
    /// with the same weights, interleaved with the zoo's graph module: the graph interpreter's overhead.</summary>
    public bool HandWritten { get; init; }
}

/// <summary>Which model a <see cref="TrainingBenchmark"/> trains.</summary>
public enum BenchmarkedModel
{
    /// <summary>The zoo's graph module.</summary>
    Graph,

    /// <summary>The graph module pruned to the benchmark's sparsity, its mask enforced as pruning methods train.</summary>
    Masked,

    /// <summary>The zoo model written by hand as a plain TorchSharp module, with the graph module's weights.</summary>
    HandWritten,
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

/// <summary>
/// One model under training-throughput measurement, the way the peer measures it: in-memory uint8 batches,
/// normalise, forward, cross-entropy, backward, SGD step; with <c>masked</c>, the pruning mask enforced as in a
/// pruning run.
/// </summary>
public sealed class TrainingBenchmark : IDisposable
{
    private const int BatchesInMemory = 60;

    private readonly TrainingBenchmarkOptions _options;
    private readonly GraphModule _graph;
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly ImageDataset _data;
    private readonly BatchSource _source;
    private readonly optim.Optimizer _optimizer;
    private readonly IEnumerator<(Tensor, Tensor)> _batches;
    private readonly MaskApplier? _applier;
    private readonly MaskSet? _masks;
    private readonly TrainingContext _context;

    /// <summary>Builds the model and data; prunes it for <see cref="BenchmarkedModel.Masked"/>.</summary>
    public TrainingBenchmark(TrainingBenchmarkOptions options, Device device, BenchmarkedModel kind)
    {
        _options = options;
        var card = new ModelCard(options.Model, options.Input, options.Classes, options.ModelOptions);
        _graph = card.Create(seed: 1, device);
        _model = kind == BenchmarkedModel.HandWritten ? HandWrittenModels.Create(options.Model, _graph) : _graph;
        var random = new RandomSource(1);
        int count = options.Batch * BatchesInMemory;
        using (var generator = random.Generator("bench-data"))
        {
            _data = new ImageDataset(randint(0, 256, [count, options.Input.Channels, options.Input.Height, options.Input.Width], dtype: ScalarType.Byte, generator: generator),
                randint(0, options.Classes, [count], dtype: ScalarType.Int64, generator: generator), Enumerable.Range(0, options.Classes).Select(i => $"{i}").ToArray(), "synthetic");
        }
        _source = new BatchSource(_data, new Normalization([0.2860], [0.3530]), device);
        var recipe = new TrainingOptions { LearningRate = 0.01, Momentum = 0.9, WeightDecay = 5e-4 };
        _optimizer = OptimizerFactory.Create(recipe, _model.parameters());
        _context = new TrainingContext(_graph, _optimizer, recipe);
        if (kind == BenchmarkedModel.Masked)
        {
            var parameters = PrunableScope.Default.Resolve(_graph);
            var context = new PruningContext(_graph, parameters, _source, random) { TrainingLabels = _data.Labels, Classes = options.Classes };
            using var full = MaskSet.Full(parameters);
            using var scores = new MagnitudeImportance().Score(context, full);
            _masks = new GlobalSelector().Select(scores, full, options.Sparsity);
            _applier = new MaskApplier(parameters, _masks);
        }
        _model.train();
        _batches = Batches(_source, options.Batch, random).GetEnumerator();
        for (int i = 0; i < options.WarmupSteps; i++)
        {
            Step();
        }
    }

    /// <summary>Images per second over one block of <c>Steps</c> steps.</summary>
    public double TimeBlock()
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < _options.Steps; i++)
        {
            Step();
        }
        return _options.Steps * _options.Batch / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Resident-set high-water mark of this process, MiB (VmHWM, the quantity the peer's ru_maxrss reads).</summary>
    public static double PeakRssMib()
    {
        const string status = "/proc/self/status";
        string? line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Frees the model, data and masks.</summary>
    public void Dispose()
    {
        _batches.Dispose();
        _applier?.Dispose();
        _masks?.Dispose();
        _optimizer.Dispose();
        _source.Dispose();
        _data.Dispose();
        if (!ReferenceEquals(_model, _graph))
        {
            _model.Dispose();
        }
        _graph.Dispose();
    }

    private void Step()
    {
        // The batch lives in the source's scope until the next MoveNext; the step's scope nests inside it.
        _batches.MoveNext();
        var (input, labels) = _batches.Current;
        using var scope = NewDisposeScope();
        _applier?.BeforeForward(_context);
        _optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(_model.call(input), labels);
        loss.backward();
        _applier?.AfterBackward(_context, loss);
        _optimizer.step();
        _applier?.AfterOptimizerStep(_context);
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
}
