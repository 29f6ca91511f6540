using Shear.Graphs;

namespace Shear.Models;

/// <summary>The residual blocks shared by the CIFAR and torchvision-layout ResNets.</summary>
internal static class ResidualBlocks
{
    /// <summary>Two 3x3 convolutions with BN; <c>out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))</c>.</summary>
    public static GraphValue Basic(GraphBuilder g, GraphValue x, string name, int width, int stride)
    {
        var y = g.ConvBnRelu(x, $"{name}.conv1", $"{name}.bn1", width, kernel: 3, stride: stride, padding: 1);
        y = g.BatchNorm(g.Conv(y, $"{name}.conv2", width, kernel: 3, padding: 1, bias: false), $"{name}.bn2");
        return g.Relu(g.Add(y, Shortcut(g, x, name, width, stride)));
    }

    /// <summary>1x1 reduce, 3x3 (carrying the stride, as torchvision does), 1x1 expand by 4.</summary>
    public static GraphValue Bottleneck(GraphBuilder g, GraphValue x, string name, int width, int stride)
    {
        var y = g.ConvBnRelu(x, $"{name}.conv1", $"{name}.bn1", width, kernel: 1);
        y = g.ConvBnRelu(y, $"{name}.conv2", $"{name}.bn2", width, kernel: 3, stride: stride, padding: 1);
        y = g.BatchNorm(g.Conv(y, $"{name}.conv3", width * 4, kernel: 1, bias: false), $"{name}.bn3");
        return g.Relu(g.Add(y, Shortcut(g, x, name, width * 4, stride)));
    }

    // Option B of He et al.: identity when the shape is kept, else a strided 1x1 projection with BN. Option A's
    // zero-padding would couple channels in a way structured pruning cannot remove.
    private static GraphValue Shortcut(GraphBuilder g, GraphValue x, string name, int width, int stride)
    {
        if (stride == 1 && x.Channels == width)
        {
            return x;
        }
        var projection = g.Conv(x, $"{name}.downsample.0", width, kernel: 1, stride: stride, bias: false);
        return g.BatchNorm(projection, $"{name}.downsample.1");
    }
}
