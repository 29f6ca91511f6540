namespace Shear.Pruning.ExtremeValue;

/// <summary>The block-maxima view of a sample, the input an extreme-value (GEV) fit expects.</summary>
public static class BlockMaxima
{
    /// <summary>Maxima of consecutive blocks of <paramref name="blockSize"/> values, in order; the last, shorter
    /// block counts too, so the result has ⌈n / blockSize⌉ entries (none for an empty input).</summary>
    /// <param name="values">The sample, read in order; a NaN makes its block's maximum NaN.</param>
    /// <param name="blockSize">Values per block, at least 1.</param>
    /// <returns>A new array the caller owns.</returns>
    public static double[] Of(double[] values, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        var maxima = new double[(values.Length + blockSize - 1) / blockSize];
        for (int block = 0; block < maxima.Length; block++)
        {
            int start = block * blockSize;
            int end = Math.Min(start + blockSize, values.Length);
            double maximum = values[start];
            for (int i = start + 1; i < end; i++)
            {
                maximum = Math.Max(maximum, values[i]);
            }
            maxima[block] = maximum;
        }
        return maxima;
    }
}
