using System.Runtime.CompilerServices;
using Shear.Runtime;

namespace Shear.Cli;

/// <summary>Makes libtorch loadable before any test touches TorchSharp.</summary>
internal static class AssemblyInit
{
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.Initialize();
}
