using Shear.Graphs;
using static TorchSharp.torch;

namespace Shear.TestKit;

/// <summary>One small model of every zoo family, for tests that must hold "for every family" (export, surgery).</summary>
public static class ZooFamilies
{
    /// <summary>Key, input channels, input side and channel multiplier of each case (small enough for CI).</summary>
    public static IReadOnlyList<(string Key, int Channels, int Side, double Width)> Cases { get; } =
    [
        ("mlp", 1, 28, 1), ("lenet5", 1, 28, 1), ("conv6", 1, 28, 0.125), ("vgg11", 3, 32, 0.25),
        ("resnet20", 3, 32, 1), ("resnet18", 3, 32, 0.25), ("resnet50", 3, 64, 1), ("mobilenetv2", 3, 32, 0.35),
        ("mobilenetv3-small", 3, 32, 0.5), ("efficientnet-b0", 3, 32, 0.25),
    ];

    /// <summary><see cref="Cases"/> as xunit theory data.</summary>
    public static Xunit.TheoryData<string, int, int, double> Theory()
    {
        var data = new Xunit.TheoryData<string, int, int, double>();
        foreach (var (key, channels, side, width) in Cases)
        {
            data.Add(key, channels, side, width);
        }
        return data;
    }

    /// <summary>BN running statistics away from their initial 0 and 1, so that inference-mode BN is exercised.</summary>
    public static void RandomiseNormStatistics(GraphModule model)
    {
        using var noGrad = no_grad();
        foreach (var (name, buffer) in model.named_buffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal))
            {
                buffer.copy_(randn_like(buffer) * 0.1);
            }
            else if (name.EndsWith("running_var", StringComparison.Ordinal))
            {
                buffer.copy_(rand_like(buffer) + 0.5);
            }
        }
    }
}
