using SkiaSharp;

namespace Shear.Data;

/// <summary>
/// Loads decoded PNG/JPEG images (SkiaSharp) from folders, in two layouts:
/// <list type="bullet">
/// <item>class folders: <c>train/&lt;class&gt;/*</c> and <c>test/&lt;class&gt;/*</c> (or <c>val/&lt;class&gt;/*</c>);</item>
/// <item>Tiny ImageNet: <c>wnids.txt</c>, <c>train/&lt;wnid&gt;/images/*</c>, and <c>val/images/*</c> labelled by
/// <c>val/val_annotations.txt</c> (file, wnid, box; tab-separated). Names come from <c>words.txt</c> if present.</item>
/// </list>
/// Classes are ordered by folder name (ordinal), as torchvision's <c>ImageFolder</c> orders them. Every image must
/// have the size of the first; sets whose pixels are all grey (R = G = B) are stored with one channel.
/// </summary>
public static class ImageFolderReader
{
    private static readonly string[] _extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>True when <paramref name="folder"/> has a <c>train</c> folder with sub-folders.</summary>
    public static bool Recognises(string folder) =>
        Directory.Exists(Path.Combine(folder, "train")) && Directory.EnumerateDirectories(Path.Combine(folder, "train")).Any();

    /// <summary>Loads the train and test (or val) images under <paramref name="folder"/>.</summary>
    public static DataSplit Load(string folder, string name)
    {
        string train = Path.Combine(folder, "train");
        if (!Directory.Exists(train))
        {
            throw new DirectoryNotFoundException($"{folder}: no train/ folder (expected train/<class>/*.png)");
        }
        string[] classes = [.. Directory.GetDirectories(train).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        if (classes.Length == 0)
        {
            throw new DataFormatException(train, "no class folders");
        }
        bool tiny = File.Exists(Path.Combine(folder, "wnids.txt"));
        var trainFiles = ClassFolderFiles(train, classes, tiny ? "images" : null);
        var testFiles = tiny ? TinyImageNetValidation(folder, classes) : ClassFolderFiles(TestFolder(folder), classes, null);
        var names = tiny ? TinyImageNetNames(folder, classes) : classes;
        var decoded = Decode(trainFiles.Concat(testFiles).Select(f => f.Path).ToArray());
        int split = trainFiles.Count;
        return new DataSplit(name,
            decoded.Dataset(0, split, [.. trainFiles.Select(f => f.Label)], names, train),
            decoded.Dataset(split, testFiles.Count, [.. testFiles.Select(f => f.Label)], names, folder + " (test)"));
    }

    private static string TestFolder(string folder)
    {
        foreach (string candidate in new[] { "test", "val" })
        {
            if (Directory.Exists(Path.Combine(folder, candidate)))
            {
                return Path.Combine(folder, candidate);
            }
        }
        throw new DirectoryNotFoundException($"{folder}: no test/ or val/ folder");
    }

    private static List<(string Path, long Label)> ClassFolderFiles(string root, string[] classes, string? inner)
    {
        var files = new List<(string, long)>();
        for (int label = 0; label < classes.Length; label++)
        {
            string classFolder = Path.Combine(root, classes[label]);
            string folder = inner is null ? classFolder : Path.Combine(classFolder, inner);
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"{folder}: class folder missing (every split needs the classes of train/)");
            }
            var images = ImagesIn(folder);
            if (images.Length == 0)
            {
                throw new DataFormatException(folder, "empty class folder: no .png, .jpg or .jpeg files");
            }
            files.AddRange(images.Select(f => (f, (long)label)));
        }
        return files;
    }

    private static string[] ImagesIn(string folder) =>
        [.. Directory.EnumerateFiles(folder)
            .Where(f => _extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];

    private static List<(string Path, long Label)> TinyImageNetValidation(string folder, string[] classes)
    {
        string annotations = Path.Combine(folder, "val", "val_annotations.txt");
        if (!File.Exists(annotations))
        {
            throw new FileNotFoundException($"{annotations}: missing (Tiny ImageNet keeps the val labels there)", annotations);
        }
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i, StringComparer.Ordinal);
        var files = new List<(string, long)>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(annotations))
        {
            lineNumber++;
            string[] fields = line.Split('\t');
            if (fields.Length < 2 || !index.TryGetValue(fields[1], out long label))
            {
                throw new DataFormatException(annotations, $"line {lineNumber}: expected '<file>\\t<wnid>…' with a wnid of train/, got '{line}'");
            }
            files.Add((Path.Combine(folder, "val", "images", fields[0]), label));
        }
        return files;
    }

    private static string[] TinyImageNetNames(string folder, string[] wnids)
    {
        string words = Path.Combine(folder, "words.txt");
        if (!File.Exists(words))
        {
            return wnids;
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(words))
        {
            string[] fields = line.Split('\t');
            if (fields.Length >= 2)
            {
                names[fields[0]] = fields[1].Split(',')[0].Trim();
            }
        }
        return [.. wnids.Select(w => names.GetValueOrDefault(w, w))];
    }

    private static DecodedImages Decode(string[] paths)
    {
        var (width, height) = Size(paths[0]);
        var decoded = new DecodedImages(paths.Length, width, height);
        try
        {
            Parallel.For(0, paths.Length, i => decoded.Store(i, paths[i]));
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is DataFormatException) is { } first)
        {
            // Report one bad file, as a sequential reader would, not a bundle of them.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
        return decoded;
    }

    internal static (int Width, int Height) Size(string path)
    {
        using var codec = SKCodec.Create(path, out var result)
            ?? throw new DataFormatException(path, $"corrupt or unsupported image ({result})");
        return (codec.Info.Width, codec.Info.Height);
    }
}
