namespace Shear.Settings;

/// <summary>Validation of a list of settings, worded the way every surface reports it.</summary>
public static class SettingChecks
{
    /// <summary>The range problems of <paramref name="options"/>, each naming its flag (<c>--flag must be …, got
    /// …</c>); a config loader turns the flag back into the key at its position.</summary>
    public static IReadOnlyList<string> Problems<TOptions>(this IEnumerable<ISetting<TOptions>> settings, TOptions options) =>
        [.. settings.Select(s => (s.Flag, Problem: s.Check(options))).Where(p => p.Problem is not null).Select(p => $"--{p.Flag} {p.Problem}")];
}
