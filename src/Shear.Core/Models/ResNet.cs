using Shear.Graphs;

namespace Shear.Models;

/// <summary>ResNet-18/34/50 in torchvision's layout, with a CIFAR (3x3, stride 1) or ImageNet (7x7, stride 2,
/// max-pool) stem.</summary>
internal static class ResNet
{
    private static readonly int[] _widths = [64, 128, 256, 512];

    /// <summary>Images at least this wide get the ImageNet stem under <see cref="ResNetStem.Auto"/>.</summary>
    private const int ImageNetStemMinimumSide = 64;

    public static ModelGraph Build(ModelRequest request, int[] blocks, bool bottleneck)
    {
        var g = new GraphBuilder(request.Key, request.Input);
        var x = Stem(g, request);
        for (int stage = 0; stage < blocks.Length; stage++)
        {
            for (int block = 0; block < blocks[stage]; block++)
            {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                string name = $"layer{stage + 1}.{block}";
                x = bottleneck
                    ? ResidualBlocks.Bottleneck(g, x, name, _widths[stage], stride)
                    : ResidualBlocks.Basic(g, x, name, _widths[stage], stride);
            }
        }
        x = g.Flatten(g.GlobalAvgPool(x));
        return g.Build(g.Linear(x, "fc", request.Classes));
    }

    private static GraphValue Stem(GraphBuilder g, ModelRequest request)
    {
        var stem = request.Options.Stem == ResNetStem.Auto
            ? request.Input.Height >= ImageNetStemMinimumSide ? ResNetStem.ImageNet : ResNetStem.Cifar
            : request.Options.Stem;
        return stem switch
        {
            ResNetStem.ImageNet => g.MaxPool(g.ConvBnRelu(g.Input, "conv1", "bn1", 64, kernel: 7, stride: 2, padding: 3), 3, 2, 1),
            ResNetStem.Cifar or ResNetStem.Auto => g.ConvBnRelu(g.Input, "conv1", "bn1", 64, kernel: 3, padding: 1),
        };
    }
}
