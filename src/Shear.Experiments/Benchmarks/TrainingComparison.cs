using static TorchSharp.torch;

namespace Shear.Experiments.Benchmarks;

/// <summary>One runner's figures in a comparison.</summary>
/// <param name="Runner">e.g. <c>shear dense</c>, <c>pytorch masked</c>.</param>
/// <param name="ImagesPerSecond">Over every timed block of every round.</param>
/// <param name="PeakRssMib">Peak resident memory of the process that ran it.</param>
/// <param name="Version">For the peer, its <c>torch.__version__</c>; null for Shear's runners.</param>
public sealed record RunnerFigures(string Runner, Throughput ImagesPerSecond, double PeakRssMib, string? Version = null);

/// <summary>
/// Shear dense, Shear masked (when a sparsity is given), the hand-written TorchSharp twin (when asked) and the PyTorch peer (dense, and pruned with
/// <c>torch.nn.utils.prune</c>), timed in alternating rounds in one session so that machine noise hits all alike.
/// </summary>
public static class TrainingComparison
{
    /// <summary>Runner names, as tables and JSON files spell them.</summary>
    public const string ShearDense = "shear dense", ShearMasked = "shear masked", PeerDense = "pytorch dense", PeerMasked = "pytorch masked";

    /// <summary>The runner name of the hand-written TorchSharp twin.</summary>
    public const string HandWrittenRunner = "torchsharp by hand";

    /// <summary>Runs the rounds; <paramref name="python"/> null skips the peer.</summary>
    /// <exception cref="InvalidOperationException">The peer could not run; the message says why.</exception>
    public static IReadOnlyList<RunnerFigures> Run(TrainingBenchmarkOptions options, Device device, string? python)
    {
        bool masked = options.Sparsity > 0;
        var blocks = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var rss = new Dictionary<string, double>(StringComparer.Ordinal);
        string? peerVersion = null;
        void Add(string runner, IEnumerable<double> values) =>
            (blocks.TryGetValue(runner, out var list) ? list : blocks[runner] = []).AddRange(values);
        using var dense = new TrainingBenchmark(options, device, BenchmarkedModel.Graph);
        using var pruned = masked ? new TrainingBenchmark(options, device, BenchmarkedModel.Masked) : null;
        using var byHand = options.HandWritten ? new TrainingBenchmark(options, device, BenchmarkedModel.HandWritten) : null;
        for (int round = 0; round < options.Rounds; round++)
        {
            for (int r = 0; r < options.Repeats; r++)
            {
                // Dense and masked blocks interleave so their ratio sees the same machine state.
                Add(ShearDense, [dense.TimeBlock()]);
                if (pruned is not null)
                {
                    Add(ShearMasked, [pruned.TimeBlock()]);
                }
                if (byHand is not null)
                {
                    Add(HandWrittenRunner, [byHand.TimeBlock()]);
                }
            }
            if (python is null)
            {
                continue;
            }
            foreach (double sparsity in masked ? new[] { 0.0, options.Sparsity } : [0.0])
            {
                string runner = sparsity == 0 ? PeerDense : PeerMasked;
                var peer = PeerBenchmark.Run(python, Path.Combine("peers", "bench_train.py"), options, get_num_threads(), sparsity);
                Add(runner, peer.Blocks ?? throw new InvalidOperationException($"--peer: {peer.Problem}"));
                rss[runner] = Math.Max(rss.GetValueOrDefault(runner), peer.PeakRssMib);
                peerVersion = peer.TorchVersion;
            }
        }
        double ours = TrainingBenchmark.PeakRssMib();
        return [.. blocks.Select(b => new RunnerFigures(b.Key, Throughput.Of(b.Value), rss.GetValueOrDefault(b.Key, ours),
            b.Key.StartsWith("pytorch", StringComparison.Ordinal) ? peerVersion : null))];
    }
}
