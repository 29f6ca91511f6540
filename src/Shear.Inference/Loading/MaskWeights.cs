namespace Shear.Inference.Loading;

/// <summary>
/// Reads a run folder's <c>masks.bin</c> (the format of <c>Shear.Masks.MaskFile</c>: a magic, a version, the count,
/// then per mask its name, rank, dimensions and one byte per weight) without libtorch, and applies it to weights.
/// </summary>
public static class MaskWeights
{
    private const string Magic = "SHEAR-MASKS";
    private const int Version = 1;

    /// <summary>Each mask in <paramref name="path"/> by parameter name, as a <see cref="WeightTensor"/> of 0 and 1.</summary>
    /// <exception cref="InvalidDataException">Not a mask file, another version, or truncated; the message names the file.</exception>
    public static Dictionary<string, WeightTensor> Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            if (reader.ReadString() != Magic)
            {
                throw new InvalidDataException($"{path}: not a Shear mask file");
            }
            int version = reader.ReadInt32();
            if (version != Version)
            {
                throw new InvalidDataException($"{path}: mask file version {version}, this build reads {Version}");
            }
            int count = reader.ReadInt32();
            var masks = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                int rank = reader.ReadInt32();
                var shape = new int[rank is >= 0 and <= 8 ? rank : throw new InvalidDataException($"{path}: mask '{name}' has rank {rank}")];
                for (int d = 0; d < rank; d++)
                {
                    shape[d] = checked((int)reader.ReadInt64());
                }
                int size = shape.Aggregate(1, (a, b) => checked(a * b));
                byte[] bytes = reader.ReadBytes(size);
                masks[name] = bytes.Length == size ? new WeightTensor(name, shape, [.. bytes.Select(b => b == 0 ? 0f : 1f)])
                    : throw new EndOfStreamException($"mask '{name}' ends early");
            }
            return masks;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: truncated or corrupt mask file ({e.Message})", e);
        }
    }

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
