using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using TorchSharp;

namespace Shear.Runtime;

/// <summary>
/// Turns on libtorch's zero-filling CPU allocator (c10's <c>caffe2_cpu_allocator_do_zero_fill</c> flag) on Linux
/// hosts with AVX-512, so that results do not depend on what freed memory happened to contain.
/// </summary>
/// <remarks>
/// Measured on this project's machines (AMD EPYC with AVX-512, libtorch 2.10, oneDNN 3.7.1): the same seeded
/// one-thread training of a BN-less CNN gave NaN weights or an infinite test loss in about one process in four,
/// where a convolution shape ran for the first time in the process, and bit-identical results otherwise. With c10's
/// junk-fill flag every run failed; with oneDNN capped at AVX2 none did; with zero fill none did and the results
/// equalled the good runs'. So oneDNN's AVX-512 convolution path reads memory libtorch allocated but never wrote,
/// and zero fill makes that memory what fresh pages contain. Capping oneDNN at AVX2 also works but trains LeNet-5
/// 3-4x and VGG-11 about 2x slower here; zero fill costs a memset per allocation. <c>SHEAR_CPU_ZERO_FILL=0</c>
/// turns it off, <c>=1</c> turns it on anywhere libc10 is found.
/// </remarks>
public static class CpuAllocatorZeroFill
{
    /// <summary>The environment variable that overrides the decision (0 or 1).</summary>
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
        bool wanted = choice switch
        {
            "0" => false,
            "1" => true,
            _ => OperatingSystem.IsLinux() && Avx512F.IsSupported,
        };
        Setting = !wanted
            ? choice == "0" ? $"off ({Variable}=0)" : "off (no AVX-512, or not Linux)"
            : TrySetFlag() ? choice == "1" ? $"on ({Variable}=1)" : "on (AVX-512 host: oneDNN reads unwritten memory otherwise)"
            : $"off ({FlagSymbol} not found in libc10)";
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
