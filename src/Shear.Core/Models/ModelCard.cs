using System.Text.Json;
using Shear.Data;
using Shear.Graphs;
using Shear.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Shear.Models;

/// <summary>Everything needed to rebuild a model: a zoo model's key, options, input shape and class count, or, for
/// a model that is not a zoo entry (compacted, imported), its stored <see cref="Description"/>.</summary>
/// <param name="Key">Zoo key.</param>
/// <param name="Input">Image shape.</param>
/// <param name="Classes">Class count.</param>
/// <param name="Options">Architecture options.</param>
public sealed record ModelCard(string Key, ImageShape Input, int Classes, ModelOptions Options)
{
    /// <summary>The card's file in a run folder.</summary>
    public const string CardFile = "model.json";
    private const string WeightsFile = "model.bin";

    /// <summary>The full description of a model that the zoo cannot rebuild from the key and options; null for zoo
    /// models (and then left out of the JSON).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public GraphDescription? Description { get; init; }

    /// <summary>The graph this card describes.</summary>
    public ModelGraph Graph() => Description?.ToGraph() ?? ModelZoo.Build(Key, Input, Classes, Options);

    /// <summary>A new module for this card, initialised from <paramref name="seed"/>, on <paramref name="device"/>.</summary>
    public GraphModule Create(long seed, Device device)
    {
        var module = new GraphModule(Graph());
        ParameterInitializer.Initialize(module, seed);
        return module.to(device);
    }

    /// <summary>Writes the card and <paramref name="module"/>'s weights into <paramref name="folder"/> atomically.</summary>
    public void Save(string folder, GraphModule module)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, CardFile), JsonSerializer.Serialize(this, JsonOptions));
        AtomicFile.Write(Path.Combine(folder, WeightsFile), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            module.save(writer);
        });
    }

    /// <summary>Whether <paramref name="folder"/> holds a saved model.</summary>
    public static bool Exists(string folder) =>
        File.Exists(Path.Combine(folder, CardFile)) && File.Exists(Path.Combine(folder, WeightsFile));

    /// <summary>Reads a model saved by <see cref="Save"/> onto <paramref name="device"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no saved model; the message names it.</exception>
    public static (ModelCard Card, GraphModule Module) Load(string folder, Device device)
    {
        var card = ReadCard(folder);
        var module = new GraphModule(card.Graph());
        module.load(Path.Combine(folder, WeightsFile));
        return (card, module.to(device));
    }

    /// <summary>The card of the model saved in <paramref name="folder"/>, without its weights.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no saved model; the message names it.</exception>
    public static ModelCard ReadCard(string folder)
    {
        string cardPath = Path.Combine(folder, CardFile);
        return !Exists(folder)
            ? throw new FileNotFoundException($"{folder}: no saved model here (expected {CardFile} and {WeightsFile}).", cardPath)
            : JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(cardPath), JsonOptions) ?? throw new InvalidDataException($"{cardPath}: empty model card.");
    }

    /// <summary>A card from the JSON <see cref="Save"/> writes, or null for JSON that holds no card.</summary>
    /// <exception cref="JsonException">Not valid JSON for a card.</exception>
    public static ModelCard? Parse(string json) => JsonSerializer.Deserialize<ModelCard>(json, JsonOptions);

    private static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
