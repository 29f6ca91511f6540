using System.Runtime.InteropServices;
using TorchSharp;

namespace Shear.Runtime;

/// <summary>
/// Optionally turns on libtorch's zero-filling CPU allocator (c10's <c>caffe2_cpu_allocator_do_zero_fill</c> flag):
/// off unless <c>SHEAR_CPU_ZERO_FILL=1</c>.
/// </summary>
/// <remarks>
/// It used to be on for every AVX-512 Linux host, as the workaround for oneDNN's AVX-512 NCHW convolutions reading
/// channel padding they never wrote (NaN in about one seeded run in four). That cause is now avoided where it
/// arises: <see cref="Graphs.ConvolutionLayout"/> runs convolutions channels-last, whose kernels pass the
/// junk-memory check, so every allocation no longer pays a memset (12-20 % of ResNet-20's training speed here).
/// Zero fill also did not cover the bug fully: with two threads, NCHW gradients of 8- or 12-channel layers were
/// wrong even with it on. Measurements: <c>docs/decisions/0003-cpu-zero-fill.md</c>. The flag stays as a switch for
/// diagnosing a suspected new uninitialised read.
/// </remarks>
public static class CpuAllocatorZeroFill
{
    /// <summary>The environment variable that turns zero fill on (1).</summary>
    public const string Variable = "SHEAR_CPU_ZERO_FILL";

    private const string FlagSymbol = "FLAGS_caffe2_cpu_allocator_do_zero_fill";

    /// <summary>What <see cref="Apply"/> decided, for <c>shear doctor</c> and result files; null before it ran.</summary>
    public static string? Setting { get; private set; }

    /// <summary>Sets the flag where it applies. Call once libc10 can be loaded from TorchSharp's probing paths and
    /// before tensors are allocated; later calls return the first decision.</summary>
    /// <returns>A one-line description of the setting in force.</returns>
    public static string Apply()
    {
        if (Setting is not null)
        {
            return Setting;
        }
        string? choice = Environment.GetEnvironmentVariable(Variable);
        Setting = choice != "1"
            ? $"off (convolutions run channels-last; {Variable}=1 turns it on)"
            : TrySetFlag() ? $"on ({Variable}=1)" : $"off ({FlagSymbol} not found in libc10)";
        return Setting;
    }

    // The flag is a plain exported bool that c10's allocator reads on every allocation.
    private static unsafe bool TrySetFlag()
    {
        if (!NativeLibrary.TryLoad("c10", typeof(torch).Assembly, null, out var c10)
            || !NativeLibrary.TryGetExport(c10, FlagSymbol, out var flag))
        {
            return false;
        }
        *(byte*)flag = 1;
        return true;
    }
}
