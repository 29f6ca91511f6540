namespace Shear.Cli;

/// <summary>The invocations that must work before libtorch is set up: fetching it, explaining its absence, help, version.</summary>
internal static class WithoutLibTorch
{
    private static readonly string[] _commands = ["setup", "doctor"];
    private static readonly string[] _flags = ["--help", "-h", "-?", "/?", "--version"];

    /// <summary>Whether <paramref name="args"/> may run without libtorch.</summary>
    public static bool Allows(IReadOnlyList<string> args) =>
        args.Count == 0 || _commands.Contains(args[0]) || args.Any(a => _flags.Contains(a));
}
