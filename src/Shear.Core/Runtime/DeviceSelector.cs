using static TorchSharp.torch;

namespace Shear.Runtime;

/// <summary>Where tensors live, as the user asks for it.</summary>
public enum DeviceChoice
{
    /// <summary>CUDA when libtorch sees a GPU, else the CPU.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>The first CUDA GPU; an error when there is none.</summary>
    Cuda,
}

/// <summary>Turns a <see cref="DeviceChoice"/> into a TorchSharp device.</summary>
public static class DeviceSelector
{
    /// <summary>The device for <paramref name="choice"/>.</summary>
    /// <exception cref="InvalidOperationException">CUDA was asked for and is not available; the message says how
    /// to get it.</exception>
    public static Device Select(DeviceChoice choice) => choice switch
    {
        DeviceChoice.Cpu => CPU,
        DeviceChoice.Auto => cuda.is_available() ? CUDA : CPU,
        DeviceChoice.Cuda => cuda.is_available()
            ? CUDA
            : throw new InvalidOperationException(
                "--device cuda: no CUDA device is visible to libtorch. This build references libtorch-cpu; reference "
                + "a libtorch-cuda package instead to train on a GPU."),
    };
}
