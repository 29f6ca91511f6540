using Shear.Cli;
using Shear.Runtime;
using Shear.Runtime.LibTorch;

// libtorch must be made loadable before any TorchSharp type is touched (see TorchRuntime).
try
{
    TorchRuntime.Initialize();
}
catch (LibTorchNotFoundException e) when (!WithoutLibTorch.Allows(args))
{
    await Console.Error.WriteLineAsync($"shear: {e.Message}");
    return ExitCodes.Environment;
}
catch (LibTorchNotFoundException)
{
    // setup, doctor, --help and --version run without libtorch: setup fetches it, doctor explains its absence.
}
catch (TorchRuntimeException e)
{
    await Console.Error.WriteLineAsync($"shear: {e.Message}");
    return ExitCodes.Environment;
}
return ShearCommand.Create().Parse(args).Invoke();
