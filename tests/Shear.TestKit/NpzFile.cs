using System.Globalization;
using System.IO.Compression;
using System.Text;
using Shear.Data;

namespace Shear.TestKit;

/// <summary>NumPy <c>.npy</c> and <c>.npz</c> files written byte by byte, as a Python user's data would arrive.</summary>
public static class NpzFile
{
    /// <summary>An .npy array (version 1) with the given descr and shape.</summary>
    public static byte[] Npy(string descr, long[] shape, byte[] data)
    {
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.AddRange([1, 0]);
        bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return [.. bytes];
    }

    /// <summary>An .npz archive of named .npy entries.</summary>
    public static void Write(string path, params (string Name, byte[] Npy)[] arrays)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, npy) in arrays)
        {
            using var stream = zip.CreateEntry(name + ".npy").Open();
            stream.Write(npy);
        }
    }

    /// <summary>int64 little-endian bytes.</summary>
    public static byte[] Int64s(IEnumerable<long> values) => [.. values.SelectMany(BitConverter.GetBytes)];

    /// <summary>An .npz training set (x_train, y_train, x_test, y_test; uint8 images <c>[N, C, H, W]</c>) of
    /// <see cref="SyntheticData"/>'s learnable bands.</summary>
    public static void WriteSynthetic(string path, int train, int test, int classes, ImageShape shape)
    {
        using var trainSet = SyntheticData.Make(train, shape, classes, seed: 5);
        using var testSet = SyntheticData.Make(test, shape, classes, seed: 6);
        (string, byte[]) Images(string name, ImageDataset set) =>
            (name, Npy("|u1", [set.Count, shape.Channels, shape.Height, shape.Width], set.Images.data<byte>().ToArray()));
        (string, byte[]) Labels(string name, ImageDataset set) =>
            (name, Npy("<i8", [set.Count], Int64s(set.Labels.data<long>().ToArray())));
        Write(path, Images("x_train", trainSet), Labels("y_train", trainSet), Images("x_test", testSet), Labels("y_test", testSet));
    }
}
