using System.Globalization;

namespace Shear.Settings;

/// <summary>
/// The one text form of setting values, shared by the CLI, YAML configs and <c>shear config show</c>: booleans
/// (true/false/yes/no/on/off), numbers (invariant culture), enums (kebab-case or the C# name, any case), optional
/// values (<c>null</c>, <c>~</c> or empty) and lists (comma-separated, optionally in brackets).
/// </summary>
public static class SettingText
{
    /// <summary>Whether <paramref name="text"/> spells an absent value.</summary>
    public static bool IsNull(string text) => text is "" or "null" or "~";

    /// <summary>A boolean; YAML 1.1's spellings are accepted so that <c>yes</c> means the same for every key.</summary>
    public static bool ParseBool(string text) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw new FormatException($"expected true or false (or yes/no, on/off), got '{text}'"),
    };

    /// <summary>An integer.</summary>
    public static int ParseInt(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new FormatException($"expected an integer, got '{text}'");

    /// <summary>A 64-bit integer.</summary>
    public static long ParseLong(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : throw new FormatException($"expected an integer, got '{text}'");

    /// <summary>A number.</summary>
    public static double ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new FormatException($"expected a number, got '{text}'");

    /// <summary>An enum value by its kebab-case or C# name, ignoring case.</summary>
    public static T ParseEnum<T>(string text) where T : struct, System.Enum
    {
        foreach (var value in System.Enum.GetValues<T>())
        {
            if (string.Equals(Kebab(value.ToString()), text, StringComparison.OrdinalIgnoreCase) || string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        throw new FormatException($"expected one of {string.Join(", ", System.Enum.GetValues<T>().Select(v => Kebab(v.ToString())))}, got '{text}'");
    }

    /// <summary>The items of a list: <c>30,60</c> or <c>[30, 60]</c>; empty for <c>[]</c> or no text.</summary>
    public static IReadOnlyList<string> Items(string text)
    {
        string inner = text.Trim();
        if (inner.StartsWith('[') && inner.EndsWith(']'))
        {
            inner = inner[1..^1];
        }
        return inner.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A list in its written form, <c>[a, b]</c> (a YAML flow sequence).</summary>
    public static string List(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";

    /// <summary>A number in its shortest round-trip form.</summary>
    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An integer.</summary>
    public static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A boolean.</summary>
    public static string Show(bool value) => value ? "true" : "false";

    /// <summary>kebab-case of a PascalCase name (<c>HalfNormal</c> → <c>half-normal</c>).</summary>
    public static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
