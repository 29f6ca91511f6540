using static TorchSharp.torch;

namespace Shear.Data;

/// <summary>Per-channel mean and standard deviation of pixel values in [0, 1].</summary>
/// <param name="Mean">One mean per channel.</param>
/// <param name="Std">One standard deviation per channel.</param>
public sealed record Normalization(IReadOnlyList<double> Mean, IReadOnlyList<double> Std)
{
    /// <summary>Computes the statistics of a training set (over every image and pixel, per channel).</summary>
    public static Normalization Of(ImageDataset train)
    {
        using var scope = NewDisposeScope();
        // [N, C, H, W] → [C, N·H·W] in float64 so sums over 47 M values stay exact enough.
        var values = train.Images.transpose(0, 1).reshape(train.Shape.Channels, -1).to(float64).div_(255.0);
        var mean = values.mean([1L]).data<double>().ToArray();
        var std = values.std(1, unbiased: false).data<double>().ToArray();
        return new Normalization(mean, std.Select(s => Math.Max(s, 1e-6)).ToArray());
    }
}
