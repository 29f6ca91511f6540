using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>Every method-specific setting, gathered from the methods of <see cref="PruningMethods.All"/> (each
/// declares its own beside it); the CLI, configs, <c>config show</c>, results and validation read this.</summary>
public static class MethodSettings
{
    /// <summary>Every setting once, in registry order (a shared one, like <c>channel-floor</c>, where its first
    /// method lists it).</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> All { get; } = [.. PruningMethods.All.SelectMany(m => m.Settings).Distinct()];

    /// <summary>The settings <paramref name="method"/> reads, in the order it declares them.</summary>
    public static IEnumerable<ISetting<MethodOptions>> For(string method) =>
        PruningMethods.All.FirstOrDefault(m => m.Key == method)?.Settings ?? [];

    /// <summary>The settings <paramref name="method"/> reads under <paramref name="options"/>: what labels and
    /// identifies its runs.</summary>
    public static IEnumerable<ISetting<MethodOptions>> ReadBy(string method, MethodOptions options)
    {
        var info = PruningMethods.All.FirstOrDefault(m => m.Key == method);
        var unread = info?.Unread(options).ToHashSet() ?? [];
        return For(method).Where(s => !unread.Contains(s));
    }

    /// <summary>The methods that read <paramref name="setting"/>.</summary>
    public static IReadOnlyList<string> MethodsOf(ISetting<MethodOptions> setting) =>
        [.. PruningMethods.All.Where(m => m.Settings.Contains(setting)).Select(m => m.Key)];

    /// <summary>Range problems of every setting, each naming its flag (<c>--key must be …, got …</c>).</summary>
    public static IReadOnlyList<string> Validate(MethodOptions options) =>
        All.Problems(options);
}
