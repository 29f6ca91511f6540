using Shear.Graphs;
using Shear.Models;

namespace Shear.Inference.Loading;

/// <summary>A saved model as the engine reads it: its graph and its weights with any masks applied.</summary>
/// <param name="Graph">The model's graph (from its card: a zoo key and options, or a stored description).</param>
/// <param name="Weights">Every float tensor of <c>model.bin</c> by state-dict name, masked.</param>
public sealed record ModelFolder(ModelGraph Graph, IReadOnlyDictionary<string, WeightTensor> Weights)
{
    private const string MasksFile = "masks.bin";

    /// <summary>Reads <c>model.json</c>, <c>model.bin</c> and, when present, <c>masks.bin</c> from <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no saved model; the message names the folder and the files.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or a mask does not fit its weight; the message names the file.</exception>
    public static ModelFolder Load(string folder)
    {
        var card = ModelCard.ReadCard(folder);
        var weights = TorchSharpWeights.Read(Path.Combine(folder, "model.bin"));
        string masks = Path.Combine(folder, MasksFile);
        if (File.Exists(masks))
        {
            MaskWeights.Apply(masks, MaskWeights.Read(masks), weights);
        }
        return new ModelFolder(card.Graph(), weights);
    }
}
