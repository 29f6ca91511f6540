namespace Shear.Inference.Kernels;

/// <summary>
/// How a layer's non-zeros fall into shared-source blocks (see <see cref="RowWeights.Blocks"/>), computed before
/// choosing the storage: <see cref="Stored"/> against the non-zeros tells whether the rows really share their sources
/// (stripe-pruned filters do: a kept stripe is one tap across every input channel) or whether blocks would mostly
/// store zeros (unstructured masks).
/// </summary>
/// <param name="Blocks">Per block: its tap, its rows (1 to 4, ascending) and the channels it reads.</param>
/// <param name="Stored">Weights the blocks store (rows × channels, summed).</param>
internal sealed record BlockPlan(IReadOnlyList<(int Tap, int[] Rows, int[] Channels)> Blocks, int Stored)
{
    /// <summary>The blocks of <paramref name="weights"/> (<c>[outputs][channels · taps]</c>).</summary>
    public static BlockPlan Of(ReadOnlySpan<float> weights, int outputs, int depth, int taps)
    {
        int channels = depth / taps;
        var blocks = new List<(int, int[], int[])>();
        int stored = 0;
        var rows = new List<int>();
        var used = new List<int>();
        for (int t = 0; t < taps; t++)
        {
            rows.Clear();
            for (int o = 0; o < outputs; o++)
            {
                if (AnyAt(weights, o, depth, taps, t, channels))
                {
                    rows.Add(o);
                }
            }
            for (int first = 0; first < rows.Count; first += RowWeights.Block)
            {
                int[] members = [.. rows.Skip(first).Take(RowWeights.Block)];
                used.Clear();
                for (int c = 0; c < channels; c++)
                {
                    int j = (c * taps) + t;
                    foreach (int o in members)
                    {
                        if (weights[(o * depth) + j] != 0)
                        {
                            used.Add(c);
                            break;
                        }
                    }
                }
                blocks.Add((t, members, [.. used]));
                stored += members.Length * used.Count;
            }
        }
        return new BlockPlan(blocks, stored);
    }

    private static bool AnyAt(ReadOnlySpan<float> weights, int o, int depth, int taps, int t, int channels)
    {
        for (int c = 0; c < channels; c++)
        {
            if (weights[(o * depth) + (c * taps) + t] != 0)
            {
                return true;
            }
        }
        return false;
    }
}
