using Shear.IO;
using static TorchSharp.torch;

namespace Shear.Masks;

/// <summary>
/// Saves and loads a <see cref="MaskSet"/>: a magic, a version, the count, then per mask its name, rank, dimensions
/// and the mask as bytes of 0 and 1. Written atomically.
/// </summary>
public static class MaskFile
{
    private const string Magic = "SHEAR-MASKS";
    private const int Version = 1;

    /// <summary>Writes <paramref name="masks"/> to <paramref name="path"/> (temp file, then rename).</summary>
    public static void Save(string path, MaskSet masks) => AtomicFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(masks.Names.Count);
        foreach (string name in masks.Names)
        {
            using var scope = NewDisposeScope();
            var mask = masks[name];
            writer.Write(name);
            writer.Write((int)mask.dim());
            foreach (long size in mask.shape)
            {
                writer.Write(size);
            }
            writer.Write(mask.cpu().to(ScalarType.Byte).data<byte>().ToArray());
        }
    });

    /// <summary>Reads a mask file onto <paramref name="device"/>.</summary>
    /// <exception cref="InvalidDataException">Not a mask file, truncated, or a version this build cannot read; the
    /// message names the file.</exception>
    public static MaskSet Load(string path, Device device) =>
        new(ReadValues(path).Select(m =>
        {
            using var scope = NewDisposeScope();
            return KeyValuePair.Create(m.Name, tensor(m.Values, m.Shape).to(ScalarType.Bool).to(device).MoveToOuterDisposeScope());
        }).ToList());

    /// <summary>Every mask of a mask file as its name, shape and one byte (0 or 1) per weight, without libtorch (the
    /// inference engine reads masks this way).</summary>
    /// <exception cref="InvalidDataException">Not a mask file, truncated, or a version this build cannot read; the
    /// message names the file.</exception>
    public static IReadOnlyList<(string Name, long[] Shape, byte[] Values)> ReadValues(string path)
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
            var masks = new List<(string, long[], byte[])>();
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                var (shape, values) = ReadMask(reader, path);
                masks.Add((name, shape, values));
            }
            return masks;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: truncated or corrupt mask file ({e.Message})", e);
        }
    }

    private static (long[] Shape, byte[] Values) ReadMask(BinaryReader reader, string path)
    {
        int rank = reader.ReadInt32();
        if (rank is < 0 or > 8)
        {
            throw new InvalidDataException($"{path}: corrupt mask file (rank {rank})");
        }
        var shape = new long[rank];
        for (int d = 0; d < rank; d++)
        {
            shape[d] = reader.ReadInt64();
            if (shape[d] < 0)
            {
                throw new InvalidDataException($"{path}: corrupt mask file (dimension {shape[d]})");
            }
        }
        int size = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        byte[] bytes = reader.ReadBytes(size);
        return bytes.Length == size ? (shape, bytes)
            : throw new InvalidDataException($"{path}: truncated mask file ({bytes.Length} of {size} mask bytes)");
    }
}
