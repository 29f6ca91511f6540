using static TorchSharp.torch;

namespace Shear.Runtime;

/// <summary>
/// One seed from which every random stream of a run is derived: data order and augmentation per epoch, weight
/// initialisation, random pruning. Streams are independent of each other and of the order in which they are
/// requested, so a run resumed at epoch k draws exactly what an uninterrupted run draws there.
/// </summary>
public sealed class RandomSource
{
    /// <summary>Creates the source for <paramref name="seed"/>.</summary>
    public RandomSource(long seed) => Seed = seed;

    /// <summary>The run's seed.</summary>
    public long Seed { get; }

    /// <summary>A 64-bit seed for the stream (<paramref name="purpose"/>, <paramref name="index"/>).</summary>
    public long Derive(string purpose, long index = 0)
    {
        // FNV-1a over the purpose gives a stable (unlike string.GetHashCode) per-purpose constant; SplitMix64
        // then decorrelates neighbouring seeds and indices.
        ulong hash = 14695981039346656037UL;
        foreach (char c in purpose)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return (long)(SplitMix(SplitMix(hash ^ (ulong)Seed) ^ (ulong)index) >> 1);
    }

    /// <summary>A new libtorch generator for the stream; the caller owns and disposes it.</summary>
    public Generator Generator(string purpose, long index = 0) => new((ulong)Derive(purpose, index));

    /// <summary>A new managed generator for the stream.</summary>
    public Random Random(string purpose, long index = 0) => new((int)(Derive(purpose, index) & int.MaxValue));

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
