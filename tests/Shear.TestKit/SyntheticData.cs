using Shear.Data;
using static TorchSharp.torch;

namespace Shear.TestKit;

/// <summary>Small learnable image sets made in memory: each class brightens its own horizontal band.</summary>
public static class SyntheticData
{
    /// <summary>A split with <paramref name="train"/> and <paramref name="test"/> images of <paramref name="shape"/>.</summary>
    public static DataSplit Split(int train = 256, int test = 64, int classes = 4, ImageShape? shape = null, long seed = 5)
    {
        var s = shape ?? new ImageShape(1, 8, 8);
        return new DataSplit("synthetic", Make(train, s, classes, seed), Make(test, s, classes, seed + 1));
    }

    /// <summary><paramref name="count"/> images; labels cycle through the classes.</summary>
    public static ImageDataset Make(int count, ImageShape shape, int classes, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var labels = arange(count, dtype: ScalarType.Int64) % classes;
        var images = rand([count, shape.Channels, shape.Height, shape.Width], generator: generator) * 0.5;
        var rows = arange(shape.Height).view(1, 1, shape.Height, 1);
        int band = Math.Max(1, shape.Height / classes);
        var lit = (rows >= (labels * band).view(count, 1, 1, 1)) & (rows < ((labels + 1) * band).view(count, 1, 1, 1));
        images = images + (lit.to(float32) * 0.5);
        var bytes = (images * 255).clamp(0, 255).to(ScalarType.Byte);
        return new ImageDataset(bytes, labels, Enumerable.Range(0, classes).Select(i => $"class{i}").ToArray(), $"synthetic(seed {seed})");
    }
}
