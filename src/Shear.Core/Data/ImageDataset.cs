using static TorchSharp.torch;

namespace Shear.Data;

/// <summary>
/// A labelled image set held in memory as two tensors. Images stay uint8 so that a full CIFAR-10 costs 150 MB
/// rather than 600 MB; batches are converted to float and normalised on the fly (see <c>BatchSource</c>).
/// </summary>
/// <remarks>The dataset owns its tensors; disposing it frees them.</remarks>
public sealed class ImageDataset : IDisposable
{
    /// <summary>Wraps <paramref name="images"/> and <paramref name="labels"/>; the dataset takes ownership.</summary>
    /// <param name="images">uint8, <c>[N, C, H, W]</c>.</param>
    /// <param name="labels">int64, <c>[N]</c>, each in <c>[0, classCount)</c>.</param>
    /// <param name="classNames">One name per class; its length is the class count.</param>
    /// <param name="source">Where the data came from (a path, or a description), for reports and errors.</param>
    public ImageDataset(Tensor images, Tensor labels, IReadOnlyList<string> classNames, string source)
    {
        if (images.dtype != ScalarType.Byte || images.dim() != 4)
        {
            throw new ArgumentException($"{source}: images must be uint8 [N, C, H, W], got {images.dtype} {Describe(images)}.");
        }
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1 || labels.shape[0] != images.shape[0])
        {
            throw new ArgumentException(
                $"{source}: labels must be int64 [N] with N = {images.shape[0]} images, got {labels.dtype} {Describe(labels)}.");
        }
        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        ClassNames = classNames;
        Source = source;
    }

    /// <summary>uint8 images, <c>[N, C, H, W]</c>. Owned by the dataset.</summary>
    public Tensor Images { get; }

    /// <summary>int64 class indices, <c>[N]</c>. Owned by the dataset.</summary>
    public Tensor Labels { get; }

    /// <summary>One name per class.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Where the data came from.</summary>
    public string Source { get; }

    /// <summary>Number of images.</summary>
    public int Count => (int)Images.shape[0];

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>Image channels, height and width.</summary>
    public ImageShape Shape => new((int)Images.shape[1], (int)Images.shape[2], (int)Images.shape[3]);

    /// <summary>A new dataset holding the images at <paramref name="indices"/> (int64 <c>[K]</c>), in that order.</summary>
    public ImageDataset Subset(Tensor indices, string source)
    {
        using var scope = NewDisposeScope();
        return new ImageDataset(Images.index_select(0, indices), Labels.index_select(0, indices), ClassNames, source);
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }

    private static string Describe(Tensor t) => $"[{string.Join(", ", t.shape)}]";
}

/// <summary>Channels, height and width of one image.</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Values per image.</summary>
    public int Size => Channels * Height * Width;

    /// <inheritdoc/>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}

/// <summary>A train and a test set that share classes and image shape.</summary>
/// <param name="Name">A short name, e.g. <c>fashion-mnist</c>.</param>
/// <param name="Train">The training images.</param>
/// <param name="Test">The test images.</param>
public sealed record DataSplit(string Name, ImageDataset Train, ImageDataset Test) : IDisposable
{
    /// <summary>
    /// A split for tuning without touching the test set: <paramref name="fraction"/> of this training set (a fixed
    /// permutation, the same on every call) becomes the evaluation set and the rest the training set. Named
    /// <c>NAME-holdoutF</c> so results never mix with test-set runs. The caller owns both splits.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside (0, 0.5].</exception>
    public DataSplit HoldOut(double fraction)
    {
        if (!(fraction is > 0 and <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "--holdout must be in (0, 0.5]");
        }
        using var scope = NewDisposeScope();
        var order = randperm(Train.Count, generator: new Generator(20261125));
        long held = Math.Max(1, (long)Math.Round(Train.Count * fraction));
        string name = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name}-holdout{fraction}");
        return new DataSplit(name,
            Train.Subset(order.narrow(0, held, Train.Count - held), $"{Train.Source} minus {held} held out"),
            Train.Subset(order.narrow(0, 0, held), $"{held} held out of {Train.Source}"));
    }

    /// <summary>Frees both sets.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

/// <summary>A data file is malformed. The message names the file and what is wrong with it.</summary>
public sealed class DataFormatException : IOException
{
    /// <summary>Creates the exception; the message is prefixed with <paramref name="path"/>.</summary>
    public DataFormatException(string path, string problem) : base($"{path}: {problem}") => Path = path;

    /// <summary>Creates the exception with its cause.</summary>
    public DataFormatException(string path, string problem, Exception inner) : base($"{path}: {problem}", inner) => Path = path;

    /// <summary>Creates the exception with no file.</summary>
    public DataFormatException() => Path = "";

    /// <summary>Creates the exception with a message only.</summary>
    public DataFormatException(string message) : base(message) => Path = "";

    /// <summary>The offending file or folder.</summary>
    public string Path { get; }
}
