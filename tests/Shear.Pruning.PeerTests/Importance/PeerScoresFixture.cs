using System.IO.Compression;
using System.Runtime.InteropServices;
using Shear.Data;
using Shear.Graphs;
using Shear.Masks;
using Shear.Models;
using Shear.Runtime;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <summary>
/// The PyTorch 1.13 reference of <c>peers/pruning_scores.py</c> (tests/fixtures/peers/pruning_scores_lenet5.npz),
/// loaded once: every array as a CPU tensor, LeNet-5 holding the fixture's initial weights, and a
/// <see cref="PruningContext"/> whose training set is exactly the fixture's 100-image batch.
/// </summary>
/// <remarks>The fixture batch is stored normalised; the uint8 pixels are recovered as
/// round((x · 0.3530 + 0.2860) · 255) and normalised again by Shear's <see cref="BatchSource"/>.</remarks>
public sealed class PeerScoresFixture : IDisposable
{
    /// <summary>The fixture's normalisation (Fashion-MNIST mean and std as <c>pruning_scores.py</c> uses them).</summary>
    public static readonly Normalization FixtureNormalization = new([0.2860], [0.3530]);

    private readonly Dictionary<string, Tensor> _arrays = new(StringComparer.Ordinal);

    public PeerScoresFixture()
    {
        Path = System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", "peers", "pruning_scores_lenet5.npz");
        using (var zip = ZipFile.OpenRead(Path))
        {
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                string key = System.IO.Path.GetFileNameWithoutExtension(entry.Name);
                _arrays[key] = ToTensor(NpyArray.Parse(Path, key, buffer.ToArray()));
            }
        }
        Model = new GraphModule(ModelZoo.Build("lenet5", new ImageShape(1, 28, 28), 10));
        LoadParameters();
        var pixels = (this["input"].to(float64) * 0.3530 + 0.2860).mul_(255).round_().clamp_(0, 255).to(ScalarType.Byte);
        string[] classes = [.. Enumerable.Range(0, 10).Select(c => $"class{c}")];
        Data = new ImageDataset(pixels, this["labels"].clone(), classes, "peer fixture");
        Source = new BatchSource(Data, FixtureNormalization, CPU);
        Parameters = PrunableScope.Default.Resolve(Model);
        Context = new PruningContext(Model, Parameters, Source, new RandomSource(0))
        {
            TrainingLabels = Data.Labels,
            Classes = 10,
        };
    }

    /// <summary>Where the fixture was read from.</summary>
    public string Path { get; }

    /// <summary>Every array of the archive by key (<c>param.conv1.weight</c>, <c>snip.fc1.weight</c>, …).</summary>
    public IReadOnlyCollection<string> Keys => _arrays.Keys;

    /// <summary>LeNet-5 with the fixture's initial weights.</summary>
    public GraphModule Model { get; }

    /// <summary>The fixture batch as a 100-image uint8 set (10 per class, ordered by class).</summary>
    public ImageDataset Data { get; }

    /// <summary>Serves <see cref="Data"/> normalised like the fixture.</summary>
    public BatchSource Source { get; }

    /// <summary>The prunable weights (conv1 … fc3), in mask order.</summary>
    public IReadOnlyList<PrunableParameter> Parameters { get; }

    /// <summary>What importances see: the model and the fixture batch as the training set.</summary>
    public PruningContext Context { get; }

    /// <summary>The array stored under <paramref name="key"/> (owned by the fixture).</summary>
    public Tensor this[string key] => _arrays.TryGetValue(key, out var array) ? array
        : throw new KeyNotFoundException($"{Path}: no array '{key}'");

    /// <summary>The fixture's tensors for <paramref name="prefix"/> (<c>snip</c>, <c>grasp_mask90</c>, …), one per
    /// prunable weight in mask order.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> PerWeight(string prefix) =>
        [.. Parameters.Select(p => (p.Name, this[$"{prefix}.{p.Name}"]))];

    public void Dispose()
    {
        Source.Dispose();
        Data.Dispose();
        Model.Dispose();
        foreach (var array in _arrays.Values)
        {
            array.Dispose();
        }
    }

    private void LoadParameters()
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in Model.named_parameters())
        {
            parameter.copy_(this[$"param.{name}"]);
        }
    }

    private Tensor ToTensor(NpyArray array) => array.DType switch
    {
        "<f4" => tensor(MemoryMarshal.Cast<byte, float>(array.Data).ToArray(), array.Shape),
        "<f8" => tensor(MemoryMarshal.Cast<byte, double>(array.Data).ToArray(), array.Shape),
        "<i8" => tensor(MemoryMarshal.Cast<byte, long>(array.Data).ToArray(), array.Shape),
        "|u1" => tensor(array.Data, array.Shape),
        _ => throw new InvalidDataException($"{Path}: '{array.Name}' has dtype {array.DType}, which the fixture does not use"),
    };
}
