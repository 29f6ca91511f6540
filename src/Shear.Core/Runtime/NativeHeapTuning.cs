using System.Runtime.InteropServices;

namespace Shear.Runtime;

/// <summary>
/// Keeps libtorch's large tensor buffers in glibc's heap instead of fresh <c>mmap</c> pages, so that a training step
/// reuses the memory the previous step freed.
/// </summary>
/// <remarks>
/// With glibc's defaults every activation of ResNet-20 at batch 128 (0.4-6 MiB each) was mapped and unmapped again
/// on every step: about 30,000 page faults per step, a quarter of the time in the kernel, and 2 cores contending
/// for the address-space lock. Measured with <c>shear bench train --model resnet20</c> on this project's 2-core
/// machines: 289 img/s with the defaults, 820-860 with the heap kept (<c>docs/results/performance/</c>). glibc
/// adapts its mmap threshold upwards on its own, but only until the heap is trimmed, which happens again on nearly
/// every step. So the threshold is fixed at glibc's largest (32 MiB; larger buffers are still mapped) and the heap
/// is returned to the system only when more than <see cref="TrimThreshold"/> is free at its top.
/// It does nothing where the C library is not glibc, where the user already tunes malloc (<c>MALLOC_*</c>,
/// <c>GLIBC_TUNABLES</c>), or with <c>SHEAR_NATIVE_HEAP=0</c>.
/// Where <see cref="CachingCpuAllocator"/> is installed, tensor buffers of 64 KiB and more bypass the C heap; this
/// tuning then serves the smaller ones and libtorch's other native allocations (and every buffer when the caching
/// allocator is off). Whether it still pays with the cache in place has not been re-measured.
/// </remarks>
public static class NativeHeapTuning
{
    /// <summary>The environment variable that turns the tuning off (<c>0</c>).</summary>
    public const string Variable = "SHEAR_NATIVE_HEAP";

    /// <summary>Allocations up to this size come from the heap (glibc refuses larger thresholds on 64-bit).</summary>
    public const int MmapThreshold = 32 << 20;

    /// <summary>Free memory at the heap's top beyond this is returned to the system.</summary>
    public const int TrimThreshold = 512 << 20;

    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    /// <summary>What <see cref="Apply"/> decided, for <c>shear doctor</c> and result files; null before it ran.</summary>
    public static string? Setting { get; private set; }

    /// <summary>Applies the tuning once per process; later calls return the first decision.</summary>
    /// <returns>A one-line description of the setting in force.</returns>
    public static string Apply()
    {
        if (Setting is not null)
        {
            return Setting;
        }
        string? userTuning = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .FirstOrDefault(k => k.StartsWith("MALLOC_", StringComparison.Ordinal) || k == "GLIBC_TUNABLES");
        Setting = Environment.GetEnvironmentVariable(Variable) == "0" ? $"glibc defaults ({Variable}=0)"
            : !OperatingSystem.IsLinux() ? "not Linux: left alone"
            : userTuning is not null ? $"left to the user ({userTuning} is set)"
            : TrySet() ? $"heap kept: mmap threshold {MmapThreshold >> 20} MiB, trim threshold {TrimThreshold >> 20} MiB"
            : "left alone (not glibc)";
        return Setting;
    }

    private static unsafe bool TrySet()
    {
        // gnu_get_libc_version tells glibc from musl, whose mallopt is a stub.
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc)
            || !NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _)
            || !NativeLibrary.TryGetExport(libc, "mallopt", out var address))
        {
            return false;
        }
        var mallopt = (delegate* unmanaged<int, int, int>)address;
        // The mmap threshold first: setting either fixes both, and glibc returns 1 on success.
        return mallopt(MMmapThreshold, MmapThreshold) == 1 && mallopt(MTrimThreshold, TrimThreshold) == 1;
    }
}
