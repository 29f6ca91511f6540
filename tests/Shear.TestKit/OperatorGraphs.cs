using Shear.Data;
using Shear.Graphs;

namespace Shear.TestKit;

/// <summary>Small graphs that use the operators no zoo family does, for tests that must cover every operator.</summary>
public static class OperatorGraphs
{
    /// <summary>3x9x9 images to 5 classes through average pooling with and without counting the padding, SiLU
    /// (sigmoid and a product), a grouped convolution, a general clip, a broadcast add of a per-channel offset, a
    /// squeeze-and-excitation gate (hard sigmoid, broadcast product), one made of a linear layer (flatten, unsqueeze)
    /// and a softmax or log-softmax.</summary>
    public static ModelGraph MobileOperators(bool logSoftmax)
    {
        var g = new GraphBuilder("ops", new ImageShape(3, 9, 9));
        var x = g.Conv(g.Input, "conv", 6, 3, padding: 1);
        x = g.AvgPool(x, 3, 2, 1, countIncludePad: false);
        x = g.Silu(x);
        x = g.Clip(g.Conv(x, "conv2", 8, 3, padding: 1, groups: 2), -0.5f, 0.7f);
        x = g.AvgPool(x, 2, 1, 1, countIncludePad: true);
        x = g.Add(x, g.Conv(g.GlobalAvgPool(x), "offset", 8, 1));
        x = g.Mul(x, g.HardSigmoid(g.Conv(g.GlobalAvgPool(x), "gate", 8, 1)));
        x = g.Mul(x, g.Unsqueeze(g.Sigmoid(g.Linear(g.Flatten(g.GlobalAvgPool(x)), "linear_gate", 8))));
        return g.Build(g.Softmax(g.Linear(g.Flatten(x), "fc", 5), logSoftmax));
    }
}
