using Shear.Runtime.LibTorch;

namespace Shear.Runtime;

/// <summary>How TorchSharp's native glue was made available.</summary>
public enum TorchRuntimeMode
{
    /// <summary>Nothing was done: TorchSharp loads its libraries itself.</summary>
    NotNeeded,

    /// <summary>A copy of the glue with missing libstdc++ versions marked weak was loaded.</summary>
    PatchedGlue,

    /// <summary>libtorch lives outside the application; it and the glue were loaded by path ahead of TorchSharp.</summary>
    Preloaded,
}

/// <summary>What <see cref="TorchRuntime.Initialize"/> found and did, for <c>shear doctor</c> and tests.</summary>
/// <param name="Mode">What was done.</param>
/// <param name="Reason">One line explaining why.</param>
/// <param name="GluePath">The original <c>libLibTorchSharp.so</c>, when found.</param>
/// <param name="PatchedGluePath">The patched copy that was loaded, when one was.</param>
/// <param name="LibStdCxxPath">The libstdc++ the process uses, when found.</param>
/// <param name="MissingVersions">Versions the glue needs that libstdc++ lacks.</param>
/// <param name="Preloaded">libtorch libraries loaded ahead of TorchSharp: short name to path.</param>
/// <param name="Resolution">Where libtorch was looked for and which source was chosen.</param>
public sealed record TorchRuntimeReport(
    TorchRuntimeMode Mode,
    string Reason,
    string? GluePath,
    string? PatchedGluePath,
    string? LibStdCxxPath,
    IReadOnlyList<string> MissingVersions,
    IReadOnlyDictionary<string, string> Preloaded,
    LibTorchResolution? Resolution = null)
{
    /// <summary>A report for hosts that need nothing.</summary>
    public static TorchRuntimeReport NotNeeded(string reason, LibTorchResolution? resolution = null) =>
        new(TorchRuntimeMode.NotNeeded, reason, null, null, null, [], new Dictionary<string, string>(), resolution);
}

/// <summary>TorchSharp's native libraries cannot be loaded on this host; the message says which and why.</summary>
public sealed class TorchRuntimeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TorchRuntimeException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public TorchRuntimeException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with no message.</summary>
    public TorchRuntimeException() { }
}
