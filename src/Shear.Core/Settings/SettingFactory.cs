using System.Globalization;

namespace Shear.Settings;

/// <summary>Builders of the common setting kinds of <typeparamref name="TOptions"/>, each parsed by
/// <see cref="SettingText"/>, so every surface reads a value the same way. They return the record itself, so that a
/// declaration can add <c>with { Flag = … }</c>.</summary>
/// <typeparam name="TOptions">The options record.</typeparam>
public sealed class SettingKinds<TOptions>
{
    /// <summary>A number.</summary>
    public Setting<TOptions, double> Number(string key, string help, Func<TOptions, double> get, Func<TOptions, double, TOptions> set, Func<TOptions, double, string?>? range = null) =>
        new Setting<TOptions, double>(key, help, SettingText.ParseNumber, SettingText.Show, get, set, range);

    /// <summary>An integer.</summary>
    public Setting<TOptions, int> WholeNumber(string key, string help, Func<TOptions, int> get, Func<TOptions, int, TOptions> set, Func<TOptions, int, string?>? range = null) =>
        new Setting<TOptions, int>(key, help, SettingText.ParseInt, v => SettingText.Show(v), get, set, range);

    /// <summary>A 64-bit integer.</summary>
    public Setting<TOptions, long> LongWholeNumber(string key, string help, Func<TOptions, long> get, Func<TOptions, long, TOptions> set, Func<TOptions, long, string?>? range = null) =>
        new Setting<TOptions, long>(key, help, SettingText.ParseLong, SettingText.Show, get, set, range);

    /// <summary>An optional integer (<c>null</c> leaves it to the method).</summary>
    public Setting<TOptions, int?> OptionalWholeNumber(string key, string help, Func<TOptions, int?> get, Func<TOptions, int?, TOptions> set, Func<TOptions, int?, string?>? range = null) =>
        new Setting<TOptions, int?>(key, help, s => SettingText.IsNull(s) ? null : SettingText.ParseInt(s), v => v is int i ? SettingText.Show(i) : "null", get, set, range);

    /// <summary>An optional number (<c>null</c>: a fallback the reader knows).</summary>
    public Setting<TOptions, double?> OptionalNumber(string key, string help, Func<TOptions, double?> get, Func<TOptions, double?, TOptions> set, Func<TOptions, double?, string?>? range = null) =>
        new Setting<TOptions, double?>(key, help, s => SettingText.IsNull(s) ? null : SettingText.ParseNumber(s), v => v is double d ? SettingText.Show(d) : "null", get, set, range);

    /// <summary>Optional free text.</summary>
    public Setting<TOptions, string?> Text(string key, string help, Func<TOptions, string?> get, Func<TOptions, string?, TOptions> set, Func<TOptions, string?, string?>? range = null) =>
        new Setting<TOptions, string?>(key, help, s => SettingText.IsNull(s) ? null : s, v => v ?? "null", get, set, range);

    /// <summary>A boolean (a switch on the CLI).</summary>
    public Setting<TOptions, bool> Flag(string key, string help, Func<TOptions, bool> get, Func<TOptions, bool, TOptions> set, Func<TOptions, bool, string?>? range = null) =>
        new Setting<TOptions, bool>(key, help, SettingText.ParseBool, SettingText.Show, get, set, range);

    /// <summary>An enum, written in kebab-case.</summary>
    public Setting<TOptions, T> Choice<T>(string key, string help, Func<TOptions, T> get, Func<TOptions, T, TOptions> set) where T : struct, System.Enum =>
        new Setting<TOptions, T>(key, help, SettingText.ParseEnum<T>, v => SettingText.Kebab(v.ToString()), get, set, null);

    /// <summary>A list of integers.</summary>
    public Setting<TOptions, IReadOnlyList<int>> WholeNumberList(string key, string help, Func<TOptions, IReadOnlyList<int>> get, Func<TOptions, IReadOnlyList<int>, TOptions> set,
        Func<TOptions, IReadOnlyList<int>, string?>? range = null) =>
        new Setting<TOptions, IReadOnlyList<int>>(key, help, s => [.. SettingText.Items(s).Select(SettingText.ParseInt)], v => SettingText.List(v.Select(i => SettingText.Show(i))), get, set, range)
        {
            IsList = true,
        };

    /// <summary>An optional list of integers (<c>null</c>: a fallback the reader knows).</summary>
    public Setting<TOptions, IReadOnlyList<int>?> OptionalWholeNumberList(string key, string help, Func<TOptions, IReadOnlyList<int>?> get, Func<TOptions, IReadOnlyList<int>?, TOptions> set,
        Func<TOptions, IReadOnlyList<int>?, string?>? range = null) =>
        new Setting<TOptions, IReadOnlyList<int>?>(key, help, s => SettingText.IsNull(s) ? null : [.. SettingText.Items(s).Select(SettingText.ParseInt)],
            v => v is null ? "null" : SettingText.List(v.Select(i => SettingText.Show(i))), get, set, range)
        {
            IsList = true,
        };

    /// <summary>A list of names.</summary>
    public Setting<TOptions, IReadOnlyList<string>> TextList(string key, string help, Func<TOptions, IReadOnlyList<string>> get, Func<TOptions, IReadOnlyList<string>, TOptions> set,
        Func<TOptions, IReadOnlyList<string>, string?>? range = null) =>
        new Setting<TOptions, IReadOnlyList<string>>(key, help, s => SettingText.Items(s), SettingText.List, get, set, range)
        {
            IsList = true,
        };
}

/// <summary>Range checks for <see cref="SettingKinds{TOptions}"/>; each returns "must be …, got X" or null.</summary>
public static class SettingRange
{
    /// <summary>At least <paramref name="min"/>.</summary>
    public static Func<TOptions, T, string?> AtLeast<TOptions, T>(T min) where T : IComparable<T> =>
        (_, v) => v.CompareTo(min) >= 0 ? null : Problem($"must be at least {Text(min)}", v);

    /// <summary>At least <paramref name="min"/> when given.</summary>
    public static Func<TOptions, int?, string?> AtLeastWhenGiven<TOptions>(int min) =>
        (_, v) => v is null || v >= min ? null : Problem($"must be at least {min}", v);

    /// <summary>Finite and above 0.</summary>
    public static Func<TOptions, double, string?> Positive<TOptions>() =>
        (_, v) => v > 0 && double.IsFinite(v) ? null : Problem("must be positive", v);

    /// <summary>Finite and at least 0.</summary>
    public static Func<TOptions, double, string?> NonNegative<TOptions>() =>
        (_, v) => v >= 0 && double.IsFinite(v) ? null : Problem("must be at least 0", v);

    /// <summary>In an interval; <paramref name="interval"/> spells it for the message, e.g. <c>[0, 1)</c>.</summary>
    public static Func<TOptions, double, string?> Within<TOptions>(string interval, Func<double, bool> inside) =>
        (_, v) => inside(v) ? null : Problem($"must be in {interval}", v);

    /// <summary>"<paramref name="must"/>, got <paramref name="value"/>".</summary>
    public static string Problem(string must, object? value) => $"{must}, got {Text(value)}";

    private static string Text(object? value) => value switch
    {
        null => "null",
        double d => SettingText.Show(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
