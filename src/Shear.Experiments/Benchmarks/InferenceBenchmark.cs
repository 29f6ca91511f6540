using Shear.Export.Onnx;
using Shear.Graphs;
using Shear.Metrics;
using Shear.Models;
using static TorchSharp.torch;

namespace Shear.Experiments.Benchmarks;

/// <summary>What <c>shear bench infer</c> measures.</summary>
public sealed record InferenceBenchmarkOptions
{
    /// <summary>Batch sizes to time.</summary>
    public IReadOnlyList<int> Batches { get; init; } = [1, 64];

    /// <summary>Timed blocks per model, runtime and batch size (median reported); they alternate between the models.</summary>
    public int Repeats { get; init; } = 7;

    /// <summary>Each block runs forward passes until at least this long has passed, so short passes are not timed
    /// one by one against the clock's resolution.</summary>
    public double BlockSeconds { get; init; } = 0.2;

    /// <summary>Also time the models exported to ONNX under ONNX Runtime.</summary>
    public bool OnnxRuntime { get; init; } = true;

    /// <summary>Also time the models in Shear's own engine (<c>shear-sparse</c>: Shear.Inference, sparse kernels on
    /// layers past its break-even sparsity).</summary>
    public bool Engine { get; init; } = true;

    /// <summary>Thread counts to time every runtime at (libtorch's intra-op threads and ONNX Runtime's alike): one,
    /// and every core by default.</summary>
    public IReadOnlyList<int> ThreadCounts { get; init; } = [1, Environment.ProcessorCount];

    /// <summary>Python with PyTorch to time the same models in eager PyTorch too (<c>peers/bench_infer.py</c>), e.g.
    /// <c>/usr/bin/python3</c>; null for none.</summary>
    public string? Peer { get; init; }

    /// <summary>The runtime the headline speed-ups are quoted for: the one a deployed model runs on.</summary>
    public string Headline => OnnxRuntime ? "onnxruntime" : "shear";
}

/// <summary>Everything <c>shear bench infer</c> measured.</summary>
/// <param name="Models">The models, baseline first.</param>
/// <param name="Figures">Every model, runtime, thread count and batch size that was timed.</param>
/// <param name="Peer">What the PyTorch peer reported; null when none was asked for.</param>
public sealed record InferenceBenchmarkResult(IReadOnlyList<InferenceModel> Models, IReadOnlyList<LatencyFigure> Figures, InferencePeerReport? Peer);

/// <summary>One model in the comparison.</summary>
/// <param name="Label">e.g. <c>dense</c>, <c>compacted</c>.</param>
/// <param name="Folder">Its run or model folder.</param>
/// <param name="Parameters">Its parameter count.</param>
/// <param name="Macs">Its multiply-accumulates for one image.</param>
public sealed record InferenceModel(string Label, string Folder, long Parameters, long Macs);

/// <summary>Latency of one forward pass: median, fastest and slowest block, milliseconds per batch.</summary>
/// <param name="Model">The model's label.</param>
/// <param name="Runtime"><c>shear</c> (libtorch through TorchSharp), <c>shear-sparse</c> (Shear's own engine),
/// <c>onnxruntime</c>, or <c>pytorch</c> (the peer).</param>
/// <param name="Threads">Intra-op threads of the runtime.</param>
/// <param name="Batch">Batch size.</param>
/// <param name="MedianMs">Median over blocks.</param>
/// <param name="MinMs">Fastest block.</param>
/// <param name="MaxMs">Slowest block.</param>
public sealed record LatencyFigure(string Model, string Runtime, int Threads, int Batch, double MedianMs, double MinMs, double MaxMs);

/// <summary>
/// Forward-pass latency of saved models in eval mode without gradients, in Shear, (exported to ONNX) in ONNX Runtime
/// and, with a peer, in PyTorch eager mode, at several batch sizes. Blocks of the models alternate, so machine noise
/// hits all of them alike.
/// </summary>
public static class InferenceBenchmark
{
    /// <summary>Times every model (folders with <c>model.json</c> + <c>model.bin</c>) in every runtime, thread count
    /// and batch size. The peer runs last, in its own process; its failure is reported, not thrown.</summary>
    public static InferenceBenchmarkResult Run(
        IReadOnlyList<(string Label, string Folder)> folders, InferenceBenchmarkOptions options, Device device)
    {
        var torchRunners = new List<TorchRunner>();
        var onnxFiles = new List<(string Label, string Path, ModelCard Card)>();
        var models = new List<InferenceModel>();
        var figures = new List<LatencyFigure>();
        int threadsBefore = get_num_threads();
        using var temp = new TemporaryFolder();
        var peer = options.Peer is null ? null : new InferencePeer(temp.Path);
        try
        {
            foreach (var (label, folder) in folders)
            {
                var (card, module) = ModelCard.Load(folder, device);
                module.eval();
                models.Add(new InferenceModel(label, folder, ModelStatistics.Parameters(module.Graph), ModelStatistics.Macs(module.Graph)));
                torchRunners.Add(new TorchRunner(label, module, card, device));
                if (options.OnnxRuntime)
                {
                    string path = Path.Combine(temp.Path, $"{onnxFiles.Count}.onnx");
                    OnnxExporter.Export(module, path);
                    onnxFiles.Add((label, path, card));
                }
                peer?.Add(label, module, card, device);
            }
            foreach (int threads in options.ThreadCounts)
            {
                set_num_threads(threads);
                var onnxRunners = onnxFiles.Select(f => new OnnxRunner(f.Label, f.Path, f.Card, threads)).ToList();
                List<Runner> engineRunners = options.Engine ? [.. folders.Select(f => new EngineRunner(f.Label, f.Folder, threads))] : [];
                try
                {
                    figures.AddRange(Time([.. torchRunners, .. engineRunners, .. onnxRunners], options, threads));
                }
                finally
                {
                    onnxRunners.ForEach(r => r.Dispose());
                }
            }
            if (peer is null)
            {
                return new InferenceBenchmarkResult(models, figures, null);
            }
            var (peerFigures, report) = peer.Run(options.Peer!, options);
            return new InferenceBenchmarkResult(models, [.. figures, .. peerFigures], report);
        }
        finally
        {
            set_num_threads(threadsBefore);
            torchRunners.ForEach(r => r.Dispose());
        }
    }

    // Blocks of every runner alternate within each batch size, so machine noise hits all of them alike.
    private static IEnumerable<LatencyFigure> Time(IReadOnlyList<Runner> runners, InferenceBenchmarkOptions options, int threads)
    {
        var blocks = new Dictionary<(string, string, int), List<double>>();
        foreach (int batch in options.Batches)
        {
            foreach (var runner in runners)
            {
                runner.Prepare(batch);
                runner.Forward(); // warm-up: first-call allocations and kernel selection
            }
            for (int r = 0; r < options.Repeats; r++)
            {
                foreach (var runner in runners)
                {
                    var key = (runner.Label, runner.Runtime, batch);
                    (blocks.TryGetValue(key, out var list) ? list : blocks[key] = []).Add(BlockTimer.Milliseconds(runner.Forward, options.BlockSeconds));
                }
            }
        }
        return blocks.Select(b =>
        {
            // Throughput.Of orders by value: here Min is the fastest block and Max the slowest.
            var ms = Throughput.Of(b.Value);
            return new LatencyFigure(b.Key.Item1, b.Key.Item2, threads, b.Key.Item3, ms.Median, ms.Min, ms.Max);
        });
    }

    private abstract class Runner(string label, string runtime) : IDisposable
    {
        public string Label { get; } = label;

        public string Runtime { get; } = runtime;

        public abstract void Prepare(int batch);

        public abstract void Forward();

        public abstract void Dispose();
    }

    private sealed class TorchRunner(string label, GraphModule module, ModelCard card, Device device) : Runner(label, "shear")
    {
        private TorchSharp.torch.Tensor? _input;

        public override void Prepare(int batch)
        {
            _input?.Dispose();
            using var generator = new Generator(7);
            _input = randn([batch, card.Input.Channels, card.Input.Height, card.Input.Width], generator: generator).to(device).DetachFromDisposeScope();
        }

        public override void Forward()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            module.call(_input!);
        }

        public override void Dispose()
        {
            _input?.Dispose();
            module.Dispose();
        }
    }

    private sealed class EngineRunner(string label, string folder, int threads) : Runner(label, "shear-sparse")
    {
        private readonly Shear.Inference.InferenceModel _model = Shear.Inference.InferenceModel.Load(folder, new Shear.Inference.InferenceOptions { Threads = threads });
        private float[] _input = [];
        private float[] _logits = [];

        public override void Prepare(int batch)
        {
            var random = new Random(7);
            _input = [.. Enumerable.Range(0, batch * _model.Input.Size).Select(_ => (float)random.NextDouble())];
            _logits = new float[batch * _model.Classes];
        }

        public override void Forward() => _model.Run(_input, _logits);

        public override void Dispose() => _model.Dispose();
    }

    private sealed class OnnxRunner(string label, string path, ModelCard card, int threads) : Runner(label, "onnxruntime")
    {
        private readonly OnnxModelRunner _model = new(path, card.Input, threads);

        public override void Prepare(int batch) => _model.Prepare(batch);

        public override void Forward() => _model.Forward();

        public override void Dispose() => _model.Dispose();
    }

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("shear-bench-infer-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
