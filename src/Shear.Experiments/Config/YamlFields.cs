using Shear.Settings;
using YamlDotNet.RepresentationModel;

namespace Shear.Experiments.Config;

/// <summary>Strict, position-aware reading of YAML nodes: every error names file, line, column and key path.</summary>
internal sealed class YamlFields(string file)
{
    /// <summary>The entries of a mapping, refusing keys outside <paramref name="known"/>.</summary>
    public Dictionary<string, YamlNode> Mapping(YamlNode node, string path, IReadOnlyCollection<string> known)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Error(node, path, $"must be a mapping of {string.Join(", ", known)}");
        }
        var entries = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            string key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!known.Contains(key))
            {
                throw Error(keyNode, Join(path, key), $"unknown key (known in {(path.Length == 0 ? "the top level" : path)}: {string.Join(", ", known)})");
            }
            if (!entries.TryAdd(key, value))
            {
                throw Error(keyNode, Join(path, key), "appears twice");
            }
        }
        return entries;
    }

    public string String(YamlNode node, string path) =>
        node is YamlScalarNode { Value: { Length: > 0 } text } ? text : throw Error(node, path, "must be a non-empty string");

    public long Long(YamlNode node, string path) => Parse(node, path, SettingText.ParseLong);

    public double Double(YamlNode node, string path) => Parse(node, path, SettingText.ParseNumber);

    /// <summary>One setting read from <paramref name="node"/> by its descriptor (its range is checked with the
    /// whole request).</summary>
    public T Setting<T>(YamlNode node, string path, ISetting<T> setting, T options) => Parse(node, path, text => setting.Parse(options, text), setting.IsList);

    /// <summary>
    /// Applies the settings given in <paramref name="fields"/> to <paramref name="options"/>: each value is parsed by
    /// its descriptor (the CLI's parser) and each range problem is reported at its key; a problem of a setting that
    /// was not given (a check against another setting) is reported at <paramref name="owner"/>.
    /// </summary>
    public T Settings<T>(YamlNode owner, Dictionary<string, YamlNode> fields, string path, IEnumerable<ISetting<T>> settings, T options)
    {
        var list = settings.ToList();
        foreach (var setting in list)
        {
            if (fields.TryGetValue(setting.Key, out var node))
            {
                options = Parse(node, Join(path, setting.Key), text => setting.Parse(options, text), setting.IsList);
            }
        }
        foreach (var setting in list)
        {
            if (setting.Check(options) is string problem)
            {
                throw fields.TryGetValue(setting.Key, out var node) ? Error(node, Join(path, setting.Key), problem) : Error(owner, path, $"{setting.Key} {problem}");
            }
        }
        return options;
    }

    public IReadOnlyList<YamlNode> Sequence(YamlNode node, string path) =>
        node is YamlSequenceNode sequence ? sequence.Children.ToList() : throw Error(node, path, "must be a list");

    private static bool IsNull(YamlNode node) => node is YamlScalarNode { Value: null or "" or "null" or "~" };

    public ConfigException Error(YamlNode node, string path, string problem) =>
        new($"{file}:{node.Start.Line}:{node.Start.Column}: {path}: {problem}");

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private string Scalar(YamlNode node, string path) =>
        node is YamlScalarNode { Value: { } text } ? text : throw Error(node, path, "must be a single value");

    // Every value goes through SettingText, as on the CLI; a YAML list becomes the list's text form.
    private T Parse<T>(YamlNode node, string path, Func<string, T> parse, bool list = false)
    {
        string text = list && node is YamlSequenceNode sequence
            ? SettingText.List(sequence.Children.Select((item, i) => Scalar(item, $"{path}[{i}]")))
            : IsNull(node) ? "null" : Scalar(node, path);
        try
        {
            return parse(text);
        }
        catch (FormatException e)
        {
            throw Error(node, path, e.Message);
        }
    }
}
