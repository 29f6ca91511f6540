using Shear.Graphs;

namespace Shear.Models;

/// <summary>He et al.'s CIFAR ResNets of depth 6n+2: three stages of n basic blocks, widths 16, 32, 64 (times
/// <c>--width</c>).</summary>
internal static class CifarResNet
{
    private static readonly int[] _widths = [16, 32, 64];

    public static ModelGraph Build(ModelRequest request, int blocksPerStage)
    {
        var g = new GraphBuilder(request.Key, request.Input);
        var x = g.ConvBnRelu(g.Input, "conv1", "bn1", request.Options.Scale(_widths[0]), kernel: 3, padding: 1);
        for (int stage = 0; stage < _widths.Length; stage++)
        {
            for (int block = 0; block < blocksPerStage; block++)
            {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = ResidualBlocks.Basic(g, x, $"layer{stage + 1}.{block}", request.Options.Scale(_widths[stage]), stride);
            }
        }
        x = g.Flatten(g.GlobalAvgPool(x));
        return g.Build(g.Linear(x, "fc", request.Classes));
    }
}
