using System.CommandLine;
using Shear.Settings;

namespace Shear.Cli.Commands;

/// <summary>CLI options generated from setting descriptors: <c>--flag</c> per setting, a switch for booleans,
/// text parsed by the descriptor (the parser configs use) for everything else.</summary>
/// <typeparam name="T">The options record.</typeparam>
internal sealed class SettingOptions<T>
{
    private readonly List<(Option Option, ISetting<T> Setting)> _options;

    /// <param name="settings">The descriptors.</param>
    /// <param name="defaults">Options whose values the help texts show as defaults.</param>
    /// <param name="prefix">Text before each help line (e.g. the methods a setting belongs to).</param>
    public SettingOptions(IEnumerable<ISetting<T>> settings, T defaults, Func<ISetting<T>, string>? prefix = null) =>
        _options = [.. settings.Select(s => (s.IsFlag
            ? (Option)new Option<bool>("--" + s.Flag) { Description = $"{prefix?.Invoke(s)}{s.Help}" }
            : new Option<string?>("--" + s.Flag) { Description = $"{prefix?.Invoke(s)}{s.Help} [default: {s.Show(defaults)}]" }, s))];

    /// <summary>The generated options.</summary>
    public IEnumerable<Option> All => _options.Select(o => o.Option);

    /// <summary>The option of <paramref name="setting"/> (e.g. to give it a short alias).</summary>
    public Option this[ISetting<T> setting] => _options.Single(o => o.Setting == setting).Option;

    /// <summary>Whether the flag of <paramref name="key"/> was given.</summary>
    public bool Given(ParseResult result, string key) => _options.Any(o => o.Setting.Key == key && result.GetResult(o.Option) is { Implicit: false });

    /// <summary>The settings whose flags were given.</summary>
    public IEnumerable<ISetting<T>> GivenSettings(ParseResult result) =>
        _options.Where(o => result.GetResult(o.Option) is { Implicit: false }).Select(o => o.Setting);

    /// <summary><paramref name="options"/> with every given flag applied; a bad value names its flag. Ranges are
    /// left to the caller's validation, which sees the whole options.</summary>
    public T Apply(ParseResult result, T options)
    {
        foreach (var (option, setting) in _options.Where(o => result.GetResult(o.Option) is { Implicit: false }))
        {
            string text = option is Option<bool> flag ? SettingText.Show(result.GetValue(flag)) : result.GetValue((Option<string?>)option) ?? "";
            try
            {
                options = setting.Parse(options, text);
            }
            catch (FormatException e)
            {
                throw new UsageException($"{option.Name}: {e.Message}");
            }
        }
        return options;
    }
}

/// <summary>Enum options read by <see cref="SettingText"/>, as configs read them (kebab-case or the C# name).</summary>
internal static class EnumOption
{
    /// <summary>An option <paramref name="name"/> whose value is a <typeparamref name="T"/>, defaulting to
    /// <paramref name="fallback"/>; the help lists the kebab-case names.</summary>
    public static Option<T> Create<T>(string name, string description, T fallback) where T : struct, Enum => new(name)
    {
        Description = description,
        HelpName = string.Join("|", Enum.GetValues<T>().Select(v => SettingText.Kebab(v.ToString()))),
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            try
            {
                return SettingText.ParseEnum<T>(result.Tokens[^1].Value);
            }
            catch (FormatException e)
            {
                result.AddError($"{name}: {e.Message}");
                return fallback;
            }
        },
    };
}
