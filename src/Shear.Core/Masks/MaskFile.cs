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
            writer.Write(name);
            var mask = masks[name].cpu();
            writer.Write((int)mask.dim());
            foreach (long size in mask.shape)
            {
                writer.Write(size);
            }
            writer.Write(mask.to(ScalarType.Byte).data<byte>().ToArray());
        }
    });

    /// <summary>Reads a mask file onto <paramref name="device"/>.</summary>
    /// <exception cref="InvalidDataException">Not a mask file, or a version this build cannot read.</exception>
    public static MaskSet Load(string path, Device device)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        string magic;
        try
        {
            magic = reader.ReadString();
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: empty or truncated mask file", e);
        }
        if (magic != Magic)
        {
            throw new InvalidDataException($"{path}: not a Shear mask file");
        }
        int version = reader.ReadInt32();
        if (version != Version)
        {
            throw new InvalidDataException($"{path}: mask file version {version}, this build reads {Version}");
        }
        int count = reader.ReadInt32();
        var masks = new List<KeyValuePair<string, Tensor>>(count);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            var shape = new long[reader.ReadInt32()];
            for (int d = 0; d < shape.Length; d++)
            {
                shape[d] = reader.ReadInt64();
            }
            byte[] bytes = reader.ReadBytes(checked((int)shape.Aggregate(1L, (a, b) => a * b)));
            masks.Add(KeyValuePair.Create(name, tensor(bytes, shape).to(ScalarType.Bool).to(device)));
        }
        return new MaskSet(masks);
    }
}
