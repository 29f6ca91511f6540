using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Shear.Inference.Kernels;

/// <summary>
/// One SIMD register of floats, as static members so that a kernel written once as a generic method over
/// <typeparamref name="TSelf"/> is compiled by the JIT into straight vector code for each width (no calls, no
/// boxing): <see cref="Lanes512"/> (AVX-512), <see cref="Lanes256"/> (AVX2/FMA) and <see cref="LanesAny"/>
/// (<see cref="Vector{T}"/>, e.g. ARM NEON).
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
/// <typeparam name="TVector">The register type.</typeparam>
internal unsafe interface ILanes<TSelf, TVector>
    where TSelf : struct, ILanes<TSelf, TVector>
    where TVector : struct
{
    /// <summary>Floats per register.</summary>
    public static abstract int Count { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    public static abstract TVector Broadcast(float value);

    /// <summary>Loads <see cref="Count"/> floats (no alignment needed).</summary>
    public static abstract TVector Load(float* source);

    /// <summary>Stores <see cref="Count"/> floats (no alignment needed).</summary>
    public static abstract void Store(float* destination, TVector value);

    /// <summary><c>a × b + c</c>, fused where the CPU has FMA.</summary>
    public static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>Lane-wise maximum (ReLU against zero).</summary>
    public static abstract TVector Max(TVector a, TVector b);

    /// <summary>Lane-wise sum.</summary>
    public static abstract TVector Add(TVector a, TVector b);

    /// <summary>Sum of the lanes.</summary>
    public static abstract float Sum(TVector value);
}

/// <summary>512-bit registers (AVX-512F).</summary>
internal readonly unsafe struct Lanes512 : ILanes<Lanes512, Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector512<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);
}

/// <summary>256-bit registers (AVX2, with FMA where present).</summary>
internal readonly unsafe struct Lanes256 : ILanes<Lanes256, Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector256<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);
}

/// <summary><see cref="Vector{T}"/> registers: whatever the platform offers (NEON on ARM, SSE elsewhere).</summary>
internal readonly unsafe struct LanesAny : ILanes<LanesAny, Vector<float>>
{
    public static int Count => Vector<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Broadcast(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(float* source) => Vector.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) => Vector.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Max(Vector<float> a, Vector<float> b) => Vector.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Add(Vector<float> a, Vector<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector<float> value) => Vector.Sum(value);
}

/// <summary>Which register width the kernels use.</summary>
public enum SimdWidth
{
    /// <summary>The widest this CPU accelerates.</summary>
    Auto,

    /// <summary>512 bits (AVX-512).</summary>
    Bits512,

    /// <summary>256 bits (AVX2).</summary>
    Bits256,

    /// <summary><see cref="Vector{T}"/>, the portable fallback.</summary>
    Portable,
}
