using System.Buffers.Binary;

namespace Shear.Inference.Loading;

/// <summary>
/// Reads the weights file TorchSharp's <c>Module.save</c> writes (a run folder's <c>model.bin</c>) without libtorch:
/// the entry count as unsigned LEB128, then per entry a .NET length-prefixed UTF-8 name, the element type, the rank
/// and every dimension as LEB128, and the values as raw little-endian bytes.
/// </summary>
public static class TorchSharpWeights
{
    // TorchSharp's ScalarType codes and their sizes in bytes; only float tensors are kept.
    private static readonly Dictionary<long, int> _elementBytes = new()
    {
        [0] = 1, [1] = 1, [2] = 2, [3] = 4, [4] = 8, [5] = 2, [6] = 4, [7] = 8, [11] = 1, [15] = 2,
    };

    private const long Float32 = 6;
    private const long Float64 = 7;

    /// <summary>Every floating-point tensor in <paramref name="path"/> by name (integer buffers such as BN's batch
    /// counter are skipped).</summary>
    /// <exception cref="InvalidDataException">Truncated or not a TorchSharp weights file; the message names the file.</exception>
    public static Dictionary<string, WeightTensor> Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            long count = Leb128(reader);
            var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
            for (long i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                if (ReadTensor(reader, path, name) is { } tensor)
                {
                    tensors[name] = tensor;
                }
            }
            return reader.BaseStream.Position == reader.BaseStream.Length ? tensors
                : throw new InvalidDataException($"{path}: {reader.BaseStream.Length - reader.BaseStream.Position} bytes after the last tensor; not a TorchSharp weights file");
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: truncated or not a TorchSharp weights file ({e.Message})", e);
        }
    }

    private static WeightTensor? ReadTensor(BinaryReader reader, string path, string name)
    {
        long type = Leb128(reader);
        long rank = Leb128(reader);
        if (!_elementBytes.TryGetValue(type, out int size) || rank > 8)
        {
            throw new InvalidDataException($"{path}: tensor '{name}' has element type {type} and rank {rank}, which this reader does not know");
        }
        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            shape[d] = checked((int)Leb128(reader));
            count = checked(count * shape[d]);
        }
        byte[] bytes = reader.ReadBytes(checked((int)(count * size)));
        if (bytes.Length != count * size)
        {
            throw new EndOfStreamException($"tensor '{name}' ends early");
        }
        return type switch
        {
            Float32 => new WeightTensor(name, shape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray()),
            Float64 => new WeightTensor(name, shape, [.. Enumerable.Range(0, (int)count).Select(i => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8)))]),
            _ => null,
        };
    }

    private static long Leb128(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new FormatException("a LEB128 number longer than 9 bytes");
    }
}
