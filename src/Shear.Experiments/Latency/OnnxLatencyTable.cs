using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Shear.Data;
using Shear.Graphs;
using Shear.IO;
using Shear.Pruning.Latency;

namespace Shear.Experiments.Latency;

/// <summary>A convolution or linear layer as the latency table keys it: its shape, nothing of its weights.</summary>
/// <param name="Kind"><c>conv</c> or <c>linear</c>.</param>
/// <param name="InChannels">Input channels (features for a linear layer).</param>
/// <param name="OutChannels">Output channels (features).</param>
/// <param name="Kernel">Kernel side (1 for linear).</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Padding.</param>
/// <param name="Groups">Groups.</param>
/// <param name="Height">Input height (1 for linear).</param>
/// <param name="Width">Input width (1 for linear).</param>
public sealed record LayerShape(string Kind, int InChannels, int OutChannels, int Kernel, int Stride, int Padding, int Groups, int Height, int Width)
{
    /// <summary>The layer alone, as a model description ONNX Runtime can time.</summary>
    public ModelGraph Graph()
    {
        var builder = new GraphBuilder("probe", new ImageShape(InChannels, Height, Width));
        var output = Kind == "conv" ? builder.Conv(builder.Input, "conv", OutChannels, Kernel, Stride, Padding)
            : builder.Linear(builder.Flatten(builder.Input), "fc", OutChannels);
        return builder.Build(output);
    }

    /// <summary>The table key of the layer at <paramref name="batch"/> and <paramref name="threads"/>.</summary>
    public string Key(int batch, int threads) => string.Create(CultureInfo.InvariantCulture,
        $"b{batch} t{threads} {Kind} {InChannels}>{OutChannels} k{Kernel} s{Stride} p{Padding} g{Groups} @{Height}x{Width}");

    /// <summary>The conv and linear layers of <paramref name="graph"/>, in graph order.</summary>
    public static IEnumerable<LayerShape> Of(ModelGraph graph) => graph.Nodes.Select(node =>
    {
        var input = graph.Nodes[node.Inputs.Count > 0 ? node.Inputs[0] : 0].OutputShape;
        return node.Layer switch
        {
            Conv2dSpec c => new LayerShape("conv", c.InChannels, c.OutChannels, c.Kernel, c.Stride, c.Padding, c.Groups, input[1], input[2]),
            LinearSpec l => new LayerShape("linear", l.InFeatures, l.OutFeatures, 1, 1, 0, 1, 1, 1),
            _ => null,
        };
    }).OfType<LayerShape>();
}

/// <summary>
/// The latency model of structured pruning's latency target: each convolution's and linear layer's ONNX Runtime
/// latency, measured once per shape, batch and thread count on this machine and kept in a cache file, summed over a
/// model's layers. A file written on another machine or by another ONNX Runtime (its key differs) is remeasured, as
/// is everything with <c>refresh</c>. Measured layers are saved at once, so an interrupted search loses nothing.
/// </summary>
public sealed class OnnxLatencyTable : ILatencyModel
{
    private readonly string _file;
    private readonly Func<LayerShape, int, int, double> _measure;
    private readonly Dictionary<string, double> _entries;

    /// <summary>Opens the table in <paramref name="file"/> for <paramref name="batch"/> and <paramref name="threads"/>;
    /// <paramref name="measure"/> (milliseconds of a layer at a batch and thread count) defaults to ONNX Runtime.</summary>
    public OnnxLatencyTable(string file, int batch, int threads, bool refresh = false, Func<LayerShape, int, int, double>? measure = null)
    {
        (_file, Batch, Threads) = (file, batch, threads);
        _measure = measure ?? ((layer, b, t) => OnnxTiming.Median(layer.Graph(), b, t));
        _entries = refresh ? [] : Load(file);
    }

    /// <inheritdoc/>
    public int Batch { get; }

    /// <inheritdoc/>
    public int Threads { get; }

    /// <summary>Layers this instance measured (misses); the rest came from the file.</summary>
    public int Measured { get; private set; }

    /// <summary>What tells machines apart: the CPU model, the core count and the ONNX Runtime version.</summary>
    public static string MachineKey { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|",
        CpuModel(), Environment.ProcessorCount, typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version))))[..16];

    /// <summary>This machine's table: <c>$SHEAR_CACHE</c>, else <c>$XDG_CACHE_HOME/shear</c>, else
    /// <c>~/.cache/shear</c>, then <c>latency/&lt;machine key&gt;.json</c>.</summary>
    public static string DefaultFile
    {
        get
        {
            string root = Environment.GetEnvironmentVariable("SHEAR_CACHE") is { Length: > 0 } shear ? shear
                : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "shear")
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "shear");
            return Path.Combine(root, "latency", MachineKey + ".json");
        }
    }

    /// <inheritdoc/>
    public double Milliseconds(ModelGraph graph) => LayerShape.Of(graph).Sum(Lookup);

    private double Lookup(LayerShape layer)
    {
        string key = layer.Key(Batch, Threads);
        if (_entries.TryGetValue(key, out double ms))
        {
            return ms;
        }
        ms = _measure(layer, Batch, Threads);
        _entries[key] = ms;
        Measured++;
        Save();
        return ms;
    }

    private void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_file))!);
        AtomicFile.WriteAllText(_file, JsonSerializer.Serialize(new Stored(MachineKey, new SortedDictionary<string, double>(_entries, StringComparer.Ordinal)),
            Runs.RunResult.JsonOptions));
    }

    private static Dictionary<string, double> Load(string file)
    {
        if (!File.Exists(file))
        {
            return [];
        }
        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(file), Runs.RunResult.JsonOptions);
            return stored?.Machine == MachineKey ? new Dictionary<string, double>(stored.Entries) : [];
        }
        catch (JsonException)
        {
            return []; // a damaged cache is remeasured, never trusted
        }
    }

    private static string CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        return File.Exists(cpuinfo)
            ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString();
    }

    private sealed record Stored(string Machine, IReadOnlyDictionary<string, double> Entries);
}
