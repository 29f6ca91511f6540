namespace Shear.Cli;

/// <summary>The process exit codes of <c>shear</c>; scripts may rely on them.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Bad input: a file, field or flag is wrong (or the command line does not parse); the message names it.</summary>
    public const int BadInput = 1;

    /// <summary>The host cannot run libtorch.</summary>
    public const int Environment = 3;

    /// <summary>Training diverged (NaN or infinite loss).</summary>
    public const int Diverged = 4;
}
