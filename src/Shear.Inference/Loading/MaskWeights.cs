using Shear.Masks;

namespace Shear.Inference.Loading;

/// <summary>
/// Reads a run folder's <c>masks.bin</c> (<see cref="MaskFile"/>'s format) without libtorch and applies it to weights.
/// </summary>
public static class MaskWeights
{
    /// <summary>Each mask in <paramref name="path"/> by parameter name, as a <see cref="WeightTensor"/> of 0 and 1
    /// (the file is read by <see cref="MaskFile.ReadValues"/>, which needs no libtorch).</summary>
    /// <exception cref="InvalidDataException">Not a mask file, another version, or truncated; the message names the file.</exception>
    public static Dictionary<string, WeightTensor> Read(string path) =>
        MaskFile.ReadValues(path).ToDictionary(m => m.Name,
            m => new WeightTensor(m.Name, [.. m.Shape.Select(d => checked((int)d))], [.. m.Values.Select(b => b == 0 ? 0f : 1f)]), StringComparer.Ordinal);

    /// <summary>Zeroes the masked weights of <paramref name="weights"/> in place.</summary>
    /// <exception cref="InvalidDataException">A mask names no weight, or its shape differs from the weight's; the
    /// message names <paramref name="path"/>, the mask and both shapes.</exception>
    public static void Apply(string path, IReadOnlyDictionary<string, WeightTensor> masks, IReadOnlyDictionary<string, WeightTensor> weights)
    {
        foreach (var (name, mask) in masks)
        {
            if (!weights.TryGetValue(name, out var weight))
            {
                throw new InvalidDataException($"{path}: mask '{name}' masks no weight of the model");
            }
            if (!mask.Shape.SequenceEqual(weight.Shape))
            {
                throw new InvalidDataException($"{path}: mask '{name}' has shape {mask.ShapeText}, the weight has {weight.ShapeText}");
            }
            for (int i = 0; i < mask.Values.Length; i++)
            {
                weight.Values[i] *= mask.Values[i];
            }
        }
    }
}
