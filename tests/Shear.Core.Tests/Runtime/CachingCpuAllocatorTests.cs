using System.Runtime.InteropServices;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Runtime;

// Peak memory depends on libtorch's large CPU buffers being reused by size instead of fragmenting the C heap
// (CachingCpuAllocator). The sizes below are odd on purpose, so that no other test frees a buffer of the same size.
[Collection(AllocatorFlagsGroup.Name)]
public class CachingCpuAllocatorTests
{
    private const long OddLength = (1 << 18) + 1231;

    [Fact]
    public void Initialize_OnX64Linux_InstallsTheCachingAllocator()
    {
        TorchRuntime.Initialize();
        bool expected = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
            && Environment.GetEnvironmentVariable(CachingCpuAllocator.Variable) != "default";

        Assert.Equal(expected, CachingCpuAllocator.Installed);
        Assert.StartsWith(expected ? "caching" : "libtorch's default", CachingCpuAllocator.Setting, StringComparison.Ordinal);
    }

    [Fact]
    public void FreedLargeBuffer_IsReusedForTheSameSize_AndOnlyThen()
    {
        TorchRuntime.Initialize();
        if (!CachingCpuAllocator.Installed)
        {
            return;
        }
        nint first = DataAddress(OddLength);
        nint again = DataAddress(OddLength);
        nint larger = DataAddress(OddLength + 2048);

        Assert.Equal(first, again);
        Assert.NotEqual(first, larger);
        Assert.Equal(0, first % 64);
    }

    [Fact]
    public void Tensors_OnRecycledBuffers_ComputeWhatTheyComputeOnFreshOnes()
    {
        TorchRuntime.Initialize();
        using var a = arange(OddLength + 7, dtype: float32);
        using var reference = (a * 3 + 1).sum();
        for (int round = 0; round < 3; round++)
        {
            using var b = arange(OddLength + 7, dtype: float32);
            using var value = (b * 3 + 1).sum();
            Assert.Equal(reference.item<float>(), value.item<float>());
        }
    }

    // c10's zero- and junk-fill flags are honoured on recycled buffers too: the uninitialised-memory tests and
    // SHEAR_CPU_ZERO_FILL rely on them.
    [Fact]
    public void RecycledBuffer_IsZeroedWithZeroFill_AndPoisonedWithJunkFill()
    {
        TorchRuntime.Initialize();
        if (!CachingCpuAllocator.Installed)
        {
            return;
        }
        using (var dirty = full(OddLength + 100, 7f))
        {
        }
        float[] zeroed = AllocatorFlags.With(AllocatorFlags.ZeroFill, () => Fresh(OddLength + 100));
        using (var dirty = full(OddLength + 100, 7f))
        {
        }
        float[] junk = AllocatorFlags.With(AllocatorFlags.JunkFill, () => Fresh(OddLength + 100));

        Assert.All(zeroed, v => Assert.Equal(0f, v));
        Assert.All(junk, v => Assert.True(float.IsNaN(v)));
    }

    private static float[] Fresh(long length)
    {
        using var tensor = empty(length, dtype: float32);
        return tensor.data<float>().ToArray();
    }

    private static unsafe nint DataAddress(long length)
    {
        using var tensor = empty(length, dtype: float32);
        fixed (byte* data = tensor.bytes)
        {
            return (nint)data;
        }
    }
}
