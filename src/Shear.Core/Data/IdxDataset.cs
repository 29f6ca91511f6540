namespace Shear.Data;

/// <summary>Loads a folder in the MNIST layout: <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
/// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, each raw or <c>.gz</c>.</summary>
public static class IdxDataset
{
    /// <summary>Fashion-MNIST's class names, in label order.</summary>
    public static readonly IReadOnlyList<string> FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private static readonly string[] _trainImages = ["train-images-idx3-ubyte", "train-images.idx3-ubyte"];
    private static readonly string[] _trainLabels = ["train-labels-idx1-ubyte", "train-labels.idx1-ubyte"];
    private static readonly string[] _testImages = ["t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"];
    private static readonly string[] _testLabels = ["t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"];

    /// <summary>True when <paramref name="folder"/> holds the four IDX files.</summary>
    public static bool Recognises(string folder) =>
        new[] { _trainImages, _trainLabels, _testImages, _testLabels }.All(n => DataFiles.FindVariant(folder, n) is not null);

    /// <summary>Loads the folder. Class names come from <c>classes.txt</c> (one per line) when present, else
    /// Fashion-MNIST's when the folder's name mentions fashion, else the label numbers.</summary>
    public static DataSplit Load(string folder, string name)
    {
        string Require(string[] names) => DataFiles.FindVariant(folder, names)
            ?? throw new FileNotFoundException($"{folder}: missing {names[0]} (or {names[0]}.gz)");
        var (trainImages, trainLabels) = (ReadImages(Require(_trainImages)), Require(_trainLabels));
        var (testImages, testLabels) = (ReadImages(Require(_testImages)), Require(_testLabels));
        long[] train = ReadLabels(trainLabels, trainImages.Dimensions[0]);
        long[] test = ReadLabels(testLabels, testImages.Dimensions[0]);
        var classes = ClassNames(folder, train, test);
        DataFiles.CheckLabels(trainLabels, train, classes.Count);
        DataFiles.CheckLabels(testLabels, test, classes.Count);
        DataFiles.CheckCoverage(trainLabels, train, classes);
        return new DataSplit(name,
            DatasetTensors.Create(trainImages.Values, Shape(trainImages), train, classes, folder + " (train)"),
            DatasetTensors.Create(testImages.Values, Shape(testImages), test, classes, folder + " (test)"));
    }

    private static IdxReader.IdxArray ReadImages(string path)
    {
        var array = IdxReader.Read(path);
        if (array.Dimensions.Length != 3)
        {
            throw new DataFormatException(path, $"an image file needs 3 dimensions [N, H, W], found {array.Dimensions.Length}");
        }
        return array;
    }

    private static long[] ReadLabels(string path, int imageCount)
    {
        var array = IdxReader.Read(path);
        if (array.Dimensions.Length != 1)
        {
            throw new DataFormatException(path, $"a label file needs 1 dimension, found {array.Dimensions.Length}");
        }
        if (array.Dimensions[0] != imageCount)
        {
            throw new DataFormatException(path, $"{array.Dimensions[0]} labels for {imageCount} images");
        }
        return [.. array.Values.Select(b => (long)b)];
    }

    private static ImageShape Shape(IdxReader.IdxArray images) => new(1, images.Dimensions[1], images.Dimensions[2]);

    private static IReadOnlyList<string> ClassNames(string folder, long[] train, long[] test)
    {
        string listed = Path.Combine(folder, "classes.txt");
        if (File.Exists(listed))
        {
            return DataFiles.ReadNames(listed);
        }
        if (Path.GetFullPath(folder).Contains("fashion", StringComparison.OrdinalIgnoreCase))
        {
            return FashionClasses;
        }
        return DataFiles.NumberedClasses(train, test);
    }
}
