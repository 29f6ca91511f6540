using System.IO.Compression;
using Shear.Graphs;
using Shear.Masks;
using static TorchSharp.torch;

namespace Shear.Metrics;

/// <summary>Sparsity and cost of one conv or linear layer, measured on its actual weights.</summary>
/// <param name="Name">Layer name.</param>
/// <param name="Shape">Weight shape.</param>
/// <param name="Weights">Weight count.</param>
/// <param name="NonZeros">Non-zero weights.</param>
/// <param name="Sparsity">1 − non-zeros / weights.</param>
/// <param name="MacsExecuted">MACs per sample of the layer as it is, zeros included (see the glossary's executed
/// MACs).</param>
/// <param name="MacsEffective">MACs per sample that touch a non-zero weight.</param>
/// <param name="Counted">Whether the layer is in the prunable scope (counts toward the model's sparsity).</param>
public sealed record LayerSparsity(string Name, IReadOnlyList<long> Shape, long Weights, long NonZeros, double Sparsity,
    long MacsExecuted, long MacsEffective, bool Counted);

/// <summary>What pruning did to a model: per-layer and total sparsity, parameters, MACs and size on disk.</summary>
/// <param name="Convention">Which weights the sparsity counts.</param>
/// <param name="Layers">Conv and linear layers in graph order.</param>
/// <param name="CountedWeights">Weights in the prunable scope.</param>
/// <param name="CountedNonZeros">Their non-zeros.</param>
/// <param name="Sparsity">1 − CountedNonZeros / CountedWeights.</param>
/// <param name="Parameters">All trainable parameters.</param>
/// <param name="NonZeroParameters">Non-zero trainable parameters.</param>
/// <param name="MacsExecuted">MACs per sample of the model as it is, run as a dense network (a compacted model
/// counts its smaller layers; zeros inside a layer are still computed).</param>
/// <param name="MacsEffective">MACs per sample touching non-zero weights.</param>
/// <param name="DenseBytes">float32 parameters and buffers, uncompressed.</param>
/// <param name="CompressedBytes">Deflate-compressed sparse form: a bitmask plus the non-zero values for conv and
/// linear weights, every other tensor dense.</param>
public sealed record SparsityReport(string Convention, IReadOnlyList<LayerSparsity> Layers, long CountedWeights,
    long CountedNonZeros, double Sparsity, long Parameters, long NonZeroParameters, long MacsExecuted, long MacsEffective,
    long DenseBytes, long CompressedBytes)
{
    /// <summary>MACs executed / effective (the speed-up that skipping zero weights could give).</summary>
    public double MacReduction => MacsEffective == 0 ? double.PositiveInfinity : (double)MacsExecuted / MacsEffective;

    /// <summary>Layers in scope with no weight left.</summary>
    public IReadOnlyList<string> Collapsed => [.. Layers.Where(l => l.Counted && l.NonZeros == 0).Select(l => l.Name)];

    /// <summary>Measures <paramref name="model"/> as it is (zeros in the weights, not masks, are counted).</summary>
    public static SparsityReport Measure(GraphModule model, PrunableScope scope)
    {
        using var scopeGuard = NewDisposeScope();
        var statistics = ModelStatistics.Layers(model.Graph).ToDictionary(l => l.Name, StringComparer.Ordinal);
        var layers = MeasureLayers(model, scope, statistics);
        long countedWeights = layers.Where(l => l.Counted).Sum(l => l.Weights);
        long countedNonZeros = layers.Where(l => l.Counted).Sum(l => l.NonZeros);
        var parameters = model.parameters().ToList();
        long otherMacs = OtherMacs(model.Graph, statistics);
        return new SparsityReport(scope.Describe(), layers, countedWeights, countedNonZeros, Fraction(countedNonZeros, countedWeights),
            parameters.Sum(p => p.numel()), parameters.Sum(p => p.count_nonzero().item<long>()),
            layers.Sum(l => l.MacsExecuted) + otherMacs, layers.Sum(l => l.MacsEffective) + otherMacs,
            model.state_dict().Values.Sum(t => t.numel() * 4), CompressedSize(model));
    }

    /// <summary>The sparsity <see cref="Measure"/> reports for <paramref name="model"/>, without the sizes it also
    /// computes: cheap enough to call after every training phase.</summary>
    public static double SparsityOf(GraphModule model, PrunableScope scope)
    {
        using var scopeGuard = NewDisposeScope();
        var counted = MeasureLayers(model, scope, ModelStatistics.Layers(model.Graph).ToDictionary(l => l.Name, StringComparer.Ordinal))
            .Where(l => l.Counted).ToList();
        return Fraction(counted.Sum(l => l.NonZeros), counted.Sum(l => l.Weights));
    }

    /// <summary>The fraction removed when <paramref name="kept"/> of <paramref name="total"/> remain; 0 when there
    /// is nothing to count. The one formula behind every sparsity Shear reports, of masks and of weights.</summary>
    public static double Fraction(long kept, long total) => total == 0 ? 0 : 1.0 - ((double)kept / total);

    private static List<LayerSparsity> MeasureLayers(GraphModule model, PrunableScope scope, Dictionary<string, LayerStatistics> statistics)
    {
        var counted = scope.Resolve(model).Select(p => p.Layer.Name).ToHashSet(StringComparer.Ordinal);
        var layers = new List<LayerSparsity>();
        foreach (var node in model.Graph.ParameterLayers.Where(n => n.Layer is Conv2dSpec or LinearSpec))
        {
            var weight = model.Layer(node.Name).get_parameter("weight")!;
            long total = weight.numel(), nonZeros = weight.count_nonzero().item<long>();
            long macs = statistics[node.Name].Macs;
            // Every weight is used once per output position, so effective MACs scale exactly with non-zeros.
            long effective = total == 0 ? 0 : macs / total * nonZeros;
            layers.Add(new LayerSparsity(node.Name, weight.shape, total, nonZeros, Fraction(nonZeros, total), macs, effective, counted.Contains(node.Name)));
        }
        return layers;
    }

    private static long OtherMacs(ModelGraph graph, Dictionary<string, LayerStatistics> statistics) =>
        graph.ParameterLayers.Where(n => n.Layer is not (Conv2dSpec or LinearSpec)).Sum(n => statistics[n.Name].Macs);

    private static long CompressedSize(GraphModule model)
    {
        var sparse = model.Graph.ParameterLayers.Where(n => n.Layer is Conv2dSpec or LinearSpec).Select(n => n.Name + ".weight").ToHashSet(StringComparer.Ordinal);
        using var counter = new CountingStream();
        using (var deflate = new DeflateStream(counter, CompressionLevel.Optimal, leaveOpen: true))
        {
            foreach (var (name, tensor) in model.state_dict())
            {
                var values = tensor.detach().cpu().to(float32).flatten();
                if (sparse.Contains(name))
                {
                    var keep = values.ne(0);
                    deflate.Write(PackBits(keep.data<bool>().ToArray()));
                    values = values.masked_select(keep);
                }
                deflate.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.data<float>().ToArray().AsSpan()));
            }
        }
        return counter.Length;
    }

    private static byte[] PackBits(bool[] bits)
    {
        var packed = new byte[(bits.Length + 7) / 8];
        for (int i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                packed[i >> 3] |= (byte)(1 << (i & 7));
            }
        }
        return packed;
    }

    /// <summary>A write-only stream that only counts bytes.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
