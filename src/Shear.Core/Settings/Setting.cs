namespace Shear.Settings;

/// <summary>
/// One setting of an options record, declared once (key, help, default, parse, range) and read by every surface:
/// the CLI flag <c>--Flag</c>, the config key <c>Key:</c>, the resolved config of <c>shear config show</c> and
/// validation. The default is the record's own initial value.
/// </summary>
/// <typeparam name="TOptions">The immutable options record the setting lives in.</typeparam>
public interface ISetting<TOptions>
{
    /// <summary>Config key, kebab-case; also the flag unless <see cref="Flag"/> says otherwise.</summary>
    public string Key { get; }

    /// <summary>The CLI flag without its dashes: <see cref="Key"/>, except where the flag is older than the config
    /// section the key sits in (<c>--scope</c> is <c>scope: {kinds}</c>). Validation messages name it.</summary>
    public string Flag { get; }

    /// <summary>One line for help texts.</summary>
    public string Help { get; }

    /// <summary>A boolean: on the CLI a switch that needs no value.</summary>
    public bool IsFlag { get; }

    /// <summary>A list: a YAML sequence, or comma-separated on the CLI.</summary>
    public bool IsList { get; }

    /// <summary>The value in its text form (<c>null</c> for an absent optional).</summary>
    public string Show(TOptions options);

    /// <summary>Sets the value from text.</summary>
    /// <exception cref="FormatException">The text is not a value of the setting's type; the message says what was
    /// expected and leaves naming the key to the caller.</exception>
    public TOptions Parse(TOptions options, string text);

    /// <summary>The range problem of the value in <paramref name="options"/> (without the key, e.g. "must be at
    /// least 1, got 0"), or null.</summary>
    public string? Check(TOptions options);
}

/// <summary>A setting of type <typeparamref name="TValue"/> (build with <see cref="SettingKinds{TOptions}"/>).</summary>
/// <param name="Key">Config key (and flag, unless <see cref="Flag"/> is set).</param>
/// <param name="Help">One line for help texts.</param>
/// <param name="Read">Text to value (one of <see cref="SettingText"/>'s parsers).</param>
/// <param name="Write">Value to text.</param>
/// <param name="Get">Reads the value.</param>
/// <param name="Set">Returns the options with the value replaced.</param>
/// <param name="Range">The range problem of a value (the whole options are given for checks against another
/// setting), or null when it is valid.</param>
public sealed record Setting<TOptions, TValue>(string Key, string Help, Func<string, TValue> Read, Func<TValue, string> Write,
    Func<TOptions, TValue> Get, Func<TOptions, TValue, TOptions> Set, Func<TOptions, TValue, string?>? Range) : ISetting<TOptions>
{
    private readonly string? _flag;

    /// <inheritdoc/>
    public string Flag { get => _flag ?? Key; init => _flag = value; }

    /// <inheritdoc/>
    public bool IsFlag => typeof(TValue) == typeof(bool);

    /// <inheritdoc/>
    public bool IsList { get; init; }

    /// <inheritdoc/>
    public string Show(TOptions options) => Write(Get(options));

    /// <inheritdoc/>
    public TOptions Parse(TOptions options, string text) => Set(options, Read(text.Trim()));

    /// <inheritdoc/>
    public string? Check(TOptions options) => Range?.Invoke(options, Get(options));
}
