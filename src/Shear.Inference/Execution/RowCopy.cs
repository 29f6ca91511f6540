using Shear.Inference.Kernels;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Shear.Inference.Execution;

/// <summary>Copies of short rows (an image row of 7 to 32 floats) without a call per row: whole registers, the last
/// one overlapping the one before so that no float is left to a scalar loop.</summary>
internal static unsafe class RowCopy
{
    /// <summary>Copies <paramref name="count"/> floats from <paramref name="source"/> to <paramref name="target"/>
    /// (the ranges must not overlap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* source, float* target, int count)
    {
        if (count >= 16 && Vector512.IsHardwareAccelerated)
        {
            int i = 0;
            for (; i + 16 <= count; i += 16)
            {
                Vector512.Store(Vector512.Load(source + i), target + i);
            }
            if (i < count)
            {
                Vector512.Store(Vector512.Load(source + count - 16), target + count - 16);
            }
        }
        else if (count >= 8)
        {
            int i = 0;
            for (; i + 8 <= count; i += 8)
            {
                Vector256.Store(Vector256.Load(source + i), target + i);
            }
            Vector256.Store(Vector256.Load(source + count - 8), target + count - 8);
        }
        else if (count >= 4)
        {
            Vector128.Store(Vector128.Load(source), target);
            Vector128.Store(Vector128.Load(source + count - 4), target + count - 4);
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                target[i] = source[i];
            }
        }
    }

    /// <summary>Writes <c>a + b</c> (clamped at zero when <paramref name="relu"/>) for <paramref name="count"/>
    /// floats into <paramref name="target"/>, which overlaps neither input; the same overlapping last register as
    /// <see cref="Copy"/> (the overlap is written twice with the same values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(float* a, float* b, float* target, int count, bool relu)
    {
        if (count >= 16 && Vector512.IsHardwareAccelerated)
        {
            AddTo<Lanes512, Vector512<float>>(a, b, target, count, relu);
        }
        else if (count >= 8)
        {
            AddTo<Lanes256, Vector256<float>>(a, b, target, count, relu);
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                float sum = a[i] + b[i];
                target[i] = relu && sum < 0 ? 0 : sum;
            }
        }
    }

    // count >= TL.Count: whole registers, the last one ending at count.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<TL, TV>(float* a, float* b, float* target, int count, bool relu)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count;
        for (int i = 0; ; i += n)
        {
            i = Math.Min(i, count - n);
            TV sum = TL.Add(TL.Load(a + i), TL.Load(b + i));
            TL.Store(target + i, relu ? TL.Max(sum, default) : sum);
            if (i + n >= count)
            {
                return;
            }
        }
    }
}
