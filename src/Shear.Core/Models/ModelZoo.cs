using Shear.Data;
using Shear.Graphs;

namespace Shear.Models;

/// <summary>One entry of the zoo: a stable key, a one-line description and the builder.</summary>
/// <param name="Key">The key used on the command line and in configs (frozen by a golden test).</param>
/// <param name="Description">What it is, with its source.</param>
/// <param name="Build">Builds the description for a request.</param>
public sealed record ModelDescriptor(string Key, string Description, Func<ModelRequest, ModelGraph> Build);

/// <summary>The registry of architectures. An explicit list: no reflection, no string switches elsewhere.</summary>
public static class ModelZoo
{
    /// <summary>Every architecture, in the order help texts list them.</summary>
    public static IReadOnlyList<ModelDescriptor> All { get; } =
    [
        new("mlp", "LeNet-300-100 multilayer perceptron (LeCun et al. 1998); widths configurable", Mlp.Build),
        new("lenet5", "LeNet-5 with ReLU and max-pooling", LeNet5.Build),
        new("conv2", "Conv-2 of the Lottery Ticket paper (Frankle & Carbin 2019)", r => ConvNet.Build(r, 1)),
        new("conv4", "Conv-4 of the Lottery Ticket paper", r => ConvNet.Build(r, 2)),
        new("conv6", "Conv-6 of the Lottery Ticket paper", r => ConvNet.Build(r, 3)),
        new("vgg11", "VGG-11 with BN, CIFAR style (Simonyan & Zisserman 2015, config A)", r => Vgg.Build(r, Vgg.Vgg11)),
        new("vgg13", "VGG-13 with BN, CIFAR style (config B)", r => Vgg.Build(r, Vgg.Vgg13)),
        new("vgg16", "VGG-16 with BN, CIFAR style (config D)", r => Vgg.Build(r, Vgg.Vgg16)),
        new("vgg19", "VGG-19 with BN, CIFAR style (config E)", r => Vgg.Build(r, Vgg.Vgg19)),
        new("resnet20", "ResNet-20 for CIFAR (He et al. 2016), projection shortcuts", r => CifarResNet.Build(r, 3)),
        new("resnet32", "ResNet-32 for CIFAR", r => CifarResNet.Build(r, 5)),
        new("resnet56", "ResNet-56 for CIFAR", r => CifarResNet.Build(r, 9)),
        new("resnet110", "ResNet-110 for CIFAR", r => CifarResNet.Build(r, 18)),
        new("resnet18", "ResNet-18, torchvision layout, CIFAR or ImageNet stem", r => ResNet.Build(r, [2, 2, 2, 2], bottleneck: false)),
        new("resnet34", "ResNet-34, torchvision layout", r => ResNet.Build(r, [3, 4, 6, 3], bottleneck: false)),
        new("resnet50", "ResNet-50 (bottleneck), torchvision layout", r => ResNet.Build(r, [3, 4, 6, 3], bottleneck: true)),
        new("mobilenetv2", "MobileNetV2 (Sandler et al. 2018), torchvision layout, width multiplier, CIFAR or ImageNet strides", MobileNet.BuildV2),
        new("mobilenetv3-small", "MobileNetV3-Small (Howard et al. 2019): squeeze-and-excitation, hard swish; torchvision layout", MobileNet.BuildV3Small),
        new("efficientnet-b0", "EfficientNet-B0 (Tan & Le 2019): MBConv with squeeze-and-excitation, SiLU; torchvision layout, no stochastic depth", MobileNet.BuildEfficientNetB0),
    ];

    /// <summary>The descriptor for <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">Unknown key; the message lists the valid ones.</exception>
    public static ModelDescriptor Get(string key) =>
        All.FirstOrDefault(d => d.Key == key)
        ?? throw new ArgumentException($"unknown model '{key}'; choose one of: {string.Join(", ", All.Select(d => d.Key))}");

    /// <summary>Builds the description of <paramref name="key"/> for images of <paramref name="input"/> and
    /// <paramref name="classes"/> classes.</summary>
    /// <exception cref="ArgumentException">Unknown key or an option out of range (<see cref="ModelOptions.Validate"/>).</exception>
    public static ModelGraph Build(string key, ImageShape input, int classes, ModelOptions? options = null)
    {
        options ??= new ModelOptions();
        if (options.Validate() is [var problem, ..])
        {
            throw new ArgumentException(problem);
        }
        return Get(key).Build(new ModelRequest(key, input, classes, options));
    }
}
