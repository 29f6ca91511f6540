using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Shear.Runtime;

/// <summary>Where a result was produced, recorded in every result file so numbers can be reproduced.</summary>
/// <param name="ShearVersion">Shear's assembly version.</param>
/// <param name="TorchSharpVersion">TorchSharp's assembly version.</param>
/// <param name="Threads">libtorch intra-op threads.</param>
/// <param name="Device">The device tensors lived on.</param>
/// <param name="Os">Operating system description.</param>
/// <param name="Cpu">Processor architecture and logical core count.</param>
/// <param name="NativeLoading">How libtorch was loaded (see <see cref="TorchRuntime"/>).</param>
/// <param name="LibTorchVersion">The libtorch package Shear was built against.</param>
/// <param name="CpuZeroFill">Whether libtorch's CPU allocator zero-fills (see <see cref="CpuAllocatorZeroFill"/>).</param>
/// <param name="NativeHeap">How the C heap is tuned (see <see cref="NativeHeapTuning"/>).</param>
/// <param name="CpuAllocator">Which allocator serves libtorch's CPU tensors (see <see cref="CachingCpuAllocator"/>).</param>
public sealed record RunEnvironment(
    string ShearVersion, string TorchSharpVersion, int Threads, string Device, string Os, string Cpu, string NativeLoading,
    string? LibTorchVersion = null, string? CpuZeroFill = null, string? NativeHeap = null,
    string? CpuAllocator = null)
{
    /// <summary>Captures the current process's environment.</summary>
    public static RunEnvironment Capture(torch.Device device) => new(
        typeof(RunEnvironment).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?",
        typeof(torch).Assembly.GetName().Version?.ToString() ?? "?",
        torch.get_num_threads(),
        device.ToString(),
        RuntimeInformation.OSDescription,
        $"{RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical cores",
        TorchRuntime.Report?.Mode.ToString() ?? "not initialised",
        LibTorch.LibTorchFlavours.Version,
        CpuAllocatorZeroFill.Setting,
        NativeHeapTuning.Setting,
        CachingCpuAllocator.Setting);
}
