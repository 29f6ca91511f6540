using Shear.Settings;

namespace Shear.Models;

/// <summary>Which stem a torchvision-layout ResNet uses.</summary>
public enum ResNetStem
{
    /// <summary>Picked from the image size: ImageNet at 64 px and above, else CIFAR.</summary>
    Auto,

    /// <summary>3x3 convolution, stride 1, no max-pool (small images).</summary>
    Cifar,

    /// <summary>7x7 convolution, stride 2, then a 3x3 max-pool with stride 2.</summary>
    ImageNet,
}

/// <summary>Options that change an architecture beyond its input and class count.</summary>
public sealed record ModelOptions
{
    /// <summary>Hidden widths of the MLP; null means LeNet-300-100's [300, 100].</summary>
    public IReadOnlyList<int>? Widths { get; init; }

    /// <summary>Stem of ResNet-18/34/50.</summary>
    public ResNetStem Stem { get; init; } = ResNetStem.Auto;

    /// <summary>Channel multiplier of the Conv-2/4/6 and VGG convolutions (a 0.25-wide Conv-6 has 16-16-32-32-64-64
    /// channels); their linear layers keep their widths. 1 is the published architecture.</summary>
    public double Width { get; init; } = 1;

    /// <summary>The largest <see cref="Width"/> accepted.</summary>
    public const double MaxWidth = 8;

    /// <summary>Whether <paramref name="width"/> is an accepted channel multiplier, (0, <see cref="MaxWidth"/>].</summary>
    public static bool IsValidWidth(double width) => width is > 0 and <= MaxWidth;

    /// <summary>Range problems (declared in <see cref="ModelSettings"/>), each naming its flag; empty when valid.</summary>
    public IReadOnlyList<string> Validate() => ModelSettings.All.Problems(this);

    /// <summary><paramref name="channels"/> scaled by <see cref="Width"/>, at least 1.</summary>
    public int Scale(int channels) => Math.Max(1, (int)Math.Round(channels * Width));
}

/// <summary>What a zoo builder is given: the data's image shape and class count, and the options.</summary>
/// <param name="Key">The zoo key, used as the graph's name.</param>
/// <param name="Input">Image shape from the data.</param>
/// <param name="Classes">Class count from the data.</param>
/// <param name="Options">Architecture options.</param>
public sealed record ModelRequest(string Key, Data.ImageShape Input, int Classes, ModelOptions Options);
