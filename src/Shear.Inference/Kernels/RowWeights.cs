using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Shear.Inference.Kernels;

/// <summary>
/// The weights of one conv or linear layer as a row product: output row <c>o</c> is
/// <c>bias[o] + Σ_j W[o, j] · source_j</c>, where a source is one input channel at one kernel tap. Kept either dense
/// (packed four rows at a time, the order the dense kernel reads) or as CSR (the non-zeros of each row with their
/// source index), or as shared-source blocks: up to four rows that read the same sources, packed as a small dense
/// matrix (for a 3x3 convolution pruned in stripes, the rows that keep one kernel tap: the stripe of stripe-wise
/// pruning). Arrays are pinned, so kernels take pointers once per call.
/// </summary>
internal sealed unsafe class RowWeights
{
    /// <summary>Rows in a dense block: four output rows share each loaded input vector.</summary>
    public const int Block = 4;

    private RowWeights(int outputs, int depth, float[] bias)
    {
        (Outputs, Depth, Bias) = (outputs, depth, Pinned(bias));
    }

    /// <summary>Output rows.</summary>
    public int Outputs { get; }

    /// <summary>Sources per row (input channels × kernel taps of one group).</summary>
    public int Depth { get; }

    /// <summary>Whether the rows are stored sparse (CSR).</summary>
    public bool Sparse => RowStart is not null;

    /// <summary>Whether the rows are stored as shared-source blocks.</summary>
    public bool Blocked => BlockRows is not null;

    /// <summary>The kernel these rows run: <c>dense</c>, <c>csr</c> or <c>blocks</c>.</summary>
    public string Kernel => Blocked ? "blocks" : Sparse ? "csr" : "dense";

    /// <summary>Whether <see cref="Sources"/> lists the sources read (CSR or blocks), so a step binds one offset per entry.</summary>
    public bool Indexed => Sources is not null;

    /// <summary>Non-zero weights.</summary>
    public int NonZeros { get; private init; }

    /// <summary>Bias per output row (zeros when the layer has none).</summary>
    public float[] Bias { get; }

    /// <summary>Dense: rows packed in blocks of <see cref="Block"/>: <c>[o / 4][j][o % 4]</c>, zero-padded.</summary>
    public float[]? Packed { get; private init; }

    /// <summary>Dense: rows as given, <c>[o][j]</c> (the dot-product path of a single position).</summary>
    public float[]? RowMajor { get; private init; }

    /// <summary>Sparse: where each row's non-zeros start in <see cref="Values"/>; <c>Outputs + 1</c> entries.</summary>
    public int[]? RowStart { get; private init; }

    /// <summary>CSR: the source index of each non-zero. Blocks: the source index of each block column.</summary>
    public int[]? Sources { get; private init; }

    /// <summary>CSR: the non-zero values, row by row. Blocks: each block's columns packed <c>[column][4]</c>.</summary>
    public float[]? Values { get; private init; }

    /// <summary>Blocks: the output rows of each block, <see cref="Block"/> entries per block, unused ones −1.</summary>
    public int[]? BlockRows { get; private init; }

    /// <summary>Blocks: where each block's columns start in <see cref="Sources"/>; one entry more than blocks.</summary>
    public int[]? BlockStart { get; private init; }

    /// <summary>Dense rows from <paramref name="weights"/> (<c>[outputs][depth]</c>, row-major).</summary>
    public static RowWeights Dense(ReadOnlySpan<float> weights, int outputs, int depth, float[] bias)
    {
        int blocks = (outputs + Block - 1) / Block;
        var packed = Pinned(new float[blocks * depth * Block]);
        for (int o = 0; o < outputs; o++)
        {
            for (int j = 0; j < depth; j++)
            {
                packed[((o / Block * depth) + j) * Block + (o % Block)] = weights[(o * depth) + j];
            }
        }
        return new RowWeights(outputs, depth, bias) { Packed = packed, RowMajor = Pinned(weights.ToArray()), NonZeros = outputs * depth };
    }

    /// <summary>CSR rows from <paramref name="weights"/>; <paramref name="source"/> maps a row and a column of the
    /// row-major weights to the global source index (grouped convolutions read only their group's sources).</summary>
    public static RowWeights Compressed(ReadOnlySpan<float> weights, int outputs, int depth, float[] bias, Func<int, int, int> source)
    {
        var rowStart = new int[outputs + 1];
        var sources = new List<int>();
        var values = new List<float>();
        for (int o = 0; o < outputs; o++)
        {
            for (int j = 0; j < depth; j++)
            {
                float w = weights[(o * depth) + j];
                if (w != 0)
                {
                    sources.Add(source(o, j));
                    values.Add(w);
                }
            }
            rowStart[o + 1] = values.Count;
        }
        return new RowWeights(outputs, depth, bias)
        {
            RowStart = Pinned(rowStart), Sources = Pinned([.. sources]), Values = Pinned([.. values]), NonZeros = values.Count,
        };
    }

    /// <summary>
    /// Shared-source blocks from <paramref name="weights"/> (<c>[outputs][depth]</c>, <c>depth = channels · taps</c>,
    /// column <c>c · taps + t</c>): for each tap, the rows with a non-zero at it, four at a time, each block reading
    /// the channels where any of its rows is non-zero (zeros stored for the others), as <paramref name="plan"/>
    /// (<see cref="BlockPlan.Of"/> of the same weights) lists them. <paramref name="source"/> as in <see cref="Compressed"/>.
    /// </summary>
    public static RowWeights Blocks(ReadOnlySpan<float> weights, int outputs, int depth, int taps, BlockPlan plan, float[] bias, Func<int, int, int> source)
    {
        var rows = new int[plan.Blocks.Count * Block];
        var start = new int[plan.Blocks.Count + 1];
        var sources = new List<int>();
        var values = new List<float>();
        int nonZeros = 0;
        for (int b = 0; b < plan.Blocks.Count; b++)
        {
            var (tap, members, channels) = plan.Blocks[b];
            for (int r = 0; r < Block; r++)
            {
                rows[(b * Block) + r] = r < members.Length ? members[r] : -1;
            }
            foreach (int c in channels)
            {
                int j = (c * taps) + tap;
                sources.Add(source(members[0], j));
                for (int r = 0; r < Block; r++)
                {
                    float w = r < members.Length ? weights[(members[r] * depth) + j] : 0;
                    values.Add(w);
                    nonZeros += w != 0 ? 1 : 0;
                }
            }
            start[b + 1] = sources.Count;
        }
        return new RowWeights(outputs, depth, bias)
        {
            BlockRows = Pinned(rows), BlockStart = Pinned(start), Sources = Pinned([.. sources]), Values = Pinned([.. values]),
            NonZeros = nonZeros,
        };
    }

    /// <summary>The address of a pinned array's first element.</summary>
    public static T* Address<T>(T[] array) where T : unmanaged =>
        array.Length == 0 ? null : (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));

    // Pinned (on the pinned object heap): the kernels keep raw pointers into these arrays.
    private static T[] Pinned<T>(T[] values) where T : unmanaged
    {
        var pinned = GC.AllocateUninitializedArray<T>(values.Length, pinned: true);
        values.CopyTo(pinned, 0);
        return pinned;
    }
}
