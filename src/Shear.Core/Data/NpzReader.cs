using System.IO.Compression;

namespace Shear.Data;

/// <summary>
/// Loads a NumPy <c>.npz</c> archive holding <c>x_train</c>, <c>y_train</c>, <c>x_test</c>, <c>y_test</c> (the
/// Keras convention). Images may be <c>[N, H, W]</c>, <c>[N, H, W, C]</c> with C of 1 or 3 (NumPy's usual
/// channels-last) or <c>[N, C, H, W]</c>; uint8 or float32. An optional <c>class_names</c> text file in the same
/// folder as the archive (<c>&lt;name&gt;.classes.txt</c>) names the classes.
/// </summary>
public static class NpzReader
{
    /// <summary>Loads the archive at <paramref name="path"/>.</summary>
    public static DataSplit Load(string path, string name)
    {
        var arrays = ReadArchive(path);
        NpyArray Get(string key) => arrays.GetValueOrDefault(key)
            ?? throw new DataFormatException(path, $"missing array '{key}' (found: {string.Join(", ", arrays.Keys.Order(StringComparer.Ordinal))}; "
                + "expected x_train, y_train, x_test, y_test)");
        var (trainImages, trainShape) = Images(path, Get("x_train"));
        var (testImages, testShape) = Images(path, Get("x_test"));
        if (trainShape != testShape)
        {
            throw new DataFormatException(path, $"x_train images are {trainShape}, x_test images are {testShape}");
        }
        long[] trainLabels = Labels(path, Get("y_train"), trainImages.Length / trainShape.Size);
        long[] testLabels = Labels(path, Get("y_test"), testImages.Length / testShape.Size);
        string namesFile = Path.ChangeExtension(path, ".classes.txt");
        string[] classes = File.Exists(namesFile) ? DataFiles.ReadNames(namesFile) : DataFiles.NumberedClasses(trainLabels, testLabels);
        DataFiles.CheckLabels(path + ":y_train", trainLabels, classes.Length);
        DataFiles.CheckLabels(path + ":y_test", testLabels, classes.Length);
        DataFiles.CheckCoverage(path + ":y_train", trainLabels, classes);
        return new DataSplit(name,
            DatasetTensors.Create(trainImages, trainShape, trainLabels, classes, path + " (train)"),
            DatasetTensors.Create(testImages, testShape, testLabels, classes, path + " (test)"));
    }

    private static Dictionary<string, NpyArray> ReadArchive(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries.Where(e => e.Name.EndsWith(".npy", StringComparison.Ordinal)))
            {
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                string key = Path.GetFileNameWithoutExtension(entry.Name);
                arrays[key] = NpyArray.Parse(path, key, buffer.ToArray());
            }
            return arrays;
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"not a valid .npz (zip) archive: {e.Message}", e);
        }
    }

    private static (byte[] Pixels, ImageShape Shape) Images(string path, NpyArray array)
    {
        long[] s = array.Shape;
        ImageShape shape;
        bool channelsLast = false;
        switch (s.Length)
        {
            case 3:
                shape = new ImageShape(1, (int)s[1], (int)s[2]);
                break;
            case 4 when s[3] is 1 or 3:
                shape = new ImageShape((int)s[3], (int)s[1], (int)s[2]);
                channelsLast = true;
                break;
            case 4:
                shape = new ImageShape((int)s[1], (int)s[2], (int)s[3]);
                break;
            default:
                throw new DataFormatException(path, $"'{array.Name}' has shape ({string.Join(", ", s)}); expected [N, H, W], [N, H, W, C] or [N, C, H, W]");
        }
        byte[] pixels = array.AsPixels(path);
        return (channelsLast ? ToChannelsFirst(pixels, (int)s[0], shape) : pixels, shape);
    }

    private static byte[] ToChannelsFirst(byte[] hwc, int count, ImageShape shape)
    {
        var chw = new byte[hwc.Length];
        int plane = shape.Height * shape.Width;
        for (int n = 0; n < count; n++)
        {
            int image = n * shape.Size;
            for (int p = 0; p < plane; p++)
            {
                for (int c = 0; c < shape.Channels; c++)
                {
                    chw[image + (c * plane) + p] = hwc[image + (p * shape.Channels) + c];
                }
            }
        }
        return chw;
    }

    private static long[] Labels(string path, NpyArray array, int imageCount)
    {
        if (array.Shape.Length != 1 || array.Shape[0] != imageCount)
        {
            throw new DataFormatException(path, $"'{array.Name}' has shape ({string.Join(", ", array.Shape)}); expected ({imageCount},), one label per image");
        }
        return array.AsInt64(path);
    }
}
