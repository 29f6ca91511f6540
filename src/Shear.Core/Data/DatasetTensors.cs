using static TorchSharp.torch;

namespace Shear.Data;

/// <summary>Turns decoded arrays into an <see cref="ImageDataset"/>.</summary>
internal static class DatasetTensors
{
    /// <summary>A dataset from row-major uint8 images <c>[N, C, H, W]</c> and labels.</summary>
    public static ImageDataset Create(byte[] images, ImageShape shape, long[] labels, IReadOnlyList<string> classes, string source)
    {
        using var scope = NewDisposeScope();
        var imageTensor = tensor(images, [labels.Length, shape.Channels, shape.Height, shape.Width]);
        var labelTensor = tensor(labels, [labels.Length]);
        return new ImageDataset(imageTensor, labelTensor, classes, source);
    }
}
