using System.Buffers.Binary;
using System.IO.Compression;
using Shear.TestKit;
using SkiaSharp;

namespace Shear.Data;

/// <summary>Writes small data files in each supported format so that readers are tested on files, good and bad.</summary>
internal static class DataFileWriter
{
    /// <summary>An IDX file of unsigned bytes; gzip-compressed when <paramref name="gzip"/>.</summary>
    public static void Idx(string path, int[] dims, byte[] values, bool gzip = false)
    {
        var bytes = new byte[4 + (4 * dims.Length) + values.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * d)), dims[d]);
        }
        values.CopyTo(bytes, 4 + (4 * dims.Length));
        Write(path, bytes, gzip);
    }

    /// <summary>Raw or gzip bytes.</summary>
    public static void Write(string path, byte[] bytes, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(path, bytes);
            return;
        }
        using var file = File.Create(path);
        using var stream = new GZipStream(file, CompressionLevel.Fastest);
        stream.Write(bytes);
    }

    /// <summary>A full MNIST-layout folder: <paramref name="train"/> and <paramref name="test"/> images of 4x5
    /// (pixel value = 10·label + position) with labels cycling through 3 classes.</summary>
    public static void IdxFolder(string folder, int train = 6, int test = 3, bool gzip = true)
    {
        string ext = gzip ? ".gz" : "";
        foreach (var (prefix, count) in new[] { ("train", train), ("t10k", test) })
        {
            Idx(Path.Combine(folder, $"{prefix}-images-idx3-ubyte{ext}"), [count, 4, 5], Pixels(count, 20), gzip);
            Idx(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte{ext}"), [count], [.. Enumerable.Range(0, count).Select(i => (byte)(i % 3))], gzip);
        }
    }

    /// <summary><paramref name="count"/> images of <paramref name="size"/> bytes: image i, byte p holds (7i + p) mod 251.</summary>
    public static byte[] Pixels(int count, int size) => [.. Enumerable.Range(0, count * size).Select(k => (byte)(((7 * (k / size)) + (k % size)) % 251))];

    /// <summary>CIFAR records: <paramref name="labelBytes"/> label bytes then 3072 pixels.</summary>
    public static byte[] CifarRecords(int count, int labelBytes, Func<int, byte> label)
    {
        int record = labelBytes + 3072;
        var bytes = new byte[count * record];
        var pixels = Pixels(count, 3072);
        for (int i = 0; i < count; i++)
        {
            bytes[(i * record) + labelBytes - 1] = label(i);
            Array.Copy(pixels, i * 3072, bytes, (i * record) + labelBytes, 3072);
        }
        return bytes;
    }

    /// <summary>A PNG (or JPEG) of a solid colour, or grey when <paramref name="colour"/> is null.</summary>
    public static void Image(string path, int width, int height, SKColor? colour = null, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        bitmap.Erase(colour ?? new SKColor(90, 90, 90));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>An .npy array (version 1): see <see cref="NpzFile.Npy"/>.</summary>
    public static byte[] Npy(string descr, long[] shape, byte[] data) => NpzFile.Npy(descr, shape, data);

    /// <summary>An .npz archive of named .npy entries: see <see cref="NpzFile.Write"/>.</summary>
    public static void Npz(string path, params (string Name, byte[] Npy)[] arrays) => NpzFile.Write(path, arrays);

    /// <summary>int64 little-endian bytes.</summary>
    public static byte[] Int64s(IEnumerable<long> values) => NpzFile.Int64s(values);
}
