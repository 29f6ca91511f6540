using Shear.Graphs;

namespace Shear.Models;

/// <summary>CIFAR-style VGG with BN: 3x3 conv + BN + ReLU stacks, global average pooling, one linear layer.</summary>
internal static class Vgg
{
    /// <summary>Marks a 2x2 max-pool in a configuration.</summary>
    private const int Pool = 0;

    public static readonly int[] Vgg11 = [64, Pool, 128, Pool, 256, 256, Pool, 512, 512, Pool, 512, 512, Pool];
    public static readonly int[] Vgg13 = [64, 64, Pool, 128, 128, Pool, 256, 256, Pool, 512, 512, Pool, 512, 512, Pool];
    public static readonly int[] Vgg16 =
        [64, 64, Pool, 128, 128, Pool, 256, 256, 256, Pool, 512, 512, 512, Pool, 512, 512, 512, Pool];
    public static readonly int[] Vgg19 =
        [64, 64, Pool, 128, 128, Pool, 256, 256, 256, 256, Pool, 512, 512, 512, 512, Pool, 512, 512, 512, 512, Pool];

    public static ModelGraph Build(ModelRequest request, int[] configuration)
    {
        var g = new GraphBuilder(request.Key, request.Input);
        var x = g.Input;
        int index = 0;
        foreach (int width in configuration)
        {
            x = width == Pool
                ? g.MaxPool(x, 2, 2)
                : g.ConvBnRelu(x, $"features.{index}.conv", $"features.{index++}.bn", request.Options.Scale(width), kernel: 3, padding: 1);
        }
        x = g.Flatten(g.GlobalAvgPool(x));
        return g.Build(g.Linear(x, "classifier", request.Classes));
    }
}
