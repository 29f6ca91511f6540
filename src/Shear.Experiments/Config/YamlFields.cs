using System.Globalization;
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

    public int Int(YamlNode node, string path) =>
        int.TryParse(Scalar(node, path), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : throw Error(node, path, $"must be an integer, got '{Scalar(node, path)}'");

    public long Long(YamlNode node, string path) =>
        long.TryParse(Scalar(node, path), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : throw Error(node, path, $"must be an integer, got '{Scalar(node, path)}'");

    public double Double(YamlNode node, string path) =>
        double.TryParse(Scalar(node, path), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : throw Error(node, path, $"must be a number, got '{Scalar(node, path)}'");

    public bool Bool(YamlNode node, string path) => Scalar(node, path) switch
    {
        "true" or "True" or "yes" => true,
        "false" or "False" or "no" => false,
        var other => throw Error(node, path, $"must be true or false, got '{other}'"),
    };

    /// <summary>A kebab-case name of <typeparamref name="T"/> (e.g. <c>conv-and-linear</c>).</summary>
    public T Enum<T>(YamlNode node, string path) where T : struct, System.Enum
    {
        string text = Scalar(node, path);
        foreach (var value in System.Enum.GetValues<T>())
        {
            if (string.Equals(Names.Kebab(value.ToString()), text, StringComparison.OrdinalIgnoreCase) || string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        throw Error(node, path, $"must be one of {string.Join(", ", System.Enum.GetValues<T>().Select(v => Names.Kebab(v.ToString())))}, got '{text}'");
    }

    public IReadOnlyList<YamlNode> Sequence(YamlNode node, string path) =>
        node is YamlSequenceNode sequence ? sequence.Children.ToList() : throw Error(node, path, "must be a list");

    public static bool IsNull(YamlNode node) => node is YamlScalarNode { Value: null or "" or "null" or "~" };

    public ConfigException Error(YamlNode node, string path, string problem) =>
        new($"{file}:{node.Start.Line}:{node.Start.Column}: {path}: {problem}");

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private string Scalar(YamlNode node, string path) =>
        node is YamlScalarNode { Value: { } text } ? text : throw Error(node, path, "must be a single value");
}

/// <summary>PascalCase to kebab-case, the spelling of enum values in configs.</summary>
internal static class Names
{
    public static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
