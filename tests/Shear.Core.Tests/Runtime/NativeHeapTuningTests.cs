using System.Runtime.InteropServices;
using Xunit;

namespace Shear.Runtime;

// Training speed depends on activations being reused from glibc's heap instead of being mapped afresh each step
// (NativeHeapTuning). mallinfo2 tells where an allocation came from: hblkhd counts bytes in mmapped blocks.
public class NativeHeapTuningTests
{
    [Fact]
    public void Initialize_OnGlibc_KeepsActivationSizedBuffersInTheHeap()
    {
        TorchRuntime.Initialize();
        if (!NativeHeapTuning.Setting!.StartsWith("heap kept", StringComparison.Ordinal))
        {
            Assert.True(!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(NativeHeapTuning.Variable) == "0"
                || Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal) || k == "GLIBC_TUNABLES")
                || !NativeLibrary.TryGetExport(NativeLibrary.Load("libc.so.6"), "gnu_get_libc_version", out _),
                $"tuning not applied on a glibc host: {NativeHeapTuning.Setting}");
            return;
        }

        // glibc's default threshold (128 KiB, raised only by frees of mapped blocks) would map a fresh 16 MiB block.
        // Larger blocks are not asserted: glibc serves them from a large enough free heap top before it maps.
        Assert.Equal(0, MappedGrowth(16 << 20));
    }

    // How many bytes of mmapped blocks an allocation of `bytes` added while it was alive.
    private static unsafe long MappedGrowth(int bytes)
    {
        long before = (long)MallInfo().hblkhd;
        void* block = NativeMemory.Alloc((nuint)bytes);
        try
        {
            return (long)MallInfo().hblkhd - before;
        }
        finally
        {
            NativeMemory.Free(block);
        }
    }

    private static unsafe MallInfo2 MallInfo()
    {
        var mallinfo2 = (delegate* unmanaged<MallInfo2>)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "mallinfo2");
        return mallinfo2();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }
}
