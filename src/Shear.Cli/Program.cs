using Shear.Cli;
using Shear.Runtime;

// libtorch must be made loadable before any TorchSharp type is touched (see TorchRuntime).
try
{
    TorchRuntime.Initialize();
}
catch (TorchRuntimeException e)
{
    await Console.Error.WriteLineAsync($"shear: {e.Message}");
    return ExitCodes.Environment;
}
return ShearCommand.Create().Parse(args).Invoke();
