using static TorchSharp.torch;

namespace Shear.Graphs;

/// <summary>
/// Seeded weight initialisation that does not touch libtorch's global generator, so two models built with the
/// same seed in one process are identical.
/// </summary>
/// <remarks>
/// Matches PyTorch's defaults for Conv2d and Linear (kaiming_uniform with a = √5, i.e. weights and biases
/// U(−1/√fan_in, 1/√fan_in)); BatchNorm starts at scale 1, shift 0.
/// </remarks>
public static class ParameterInitializer
{
    /// <summary>Re-initialises every parameter of <paramref name="module"/> in graph order from <paramref name="seed"/>.</summary>
    public static void Initialize(GraphModule module, long seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        foreach (var node in module.Graph.ParameterLayers)
        {
            var layer = module.Layer(node.Name);
            switch (node.Layer)
            {
                case Conv2dSpec c:
                    Uniform(layer, 1.0 / Math.Sqrt(c.InChannels / c.Groups * c.Kernel * c.Kernel), generator);
                    break;
                case LinearSpec l:
                    Uniform(layer, 1.0 / Math.Sqrt(l.InFeatures), generator);
                    break;
                case BatchNorm2dSpec:
                    foreach (var (name, p) in layer.named_parameters())
                    {
                        p.fill_(name == "weight" ? 1.0 : 0.0);
                    }
                    break;
                default:
                    throw new NotSupportedException($"{node.Name}: no initialiser for {node.Layer.GetType().Name}.");
            }
        }
    }

    private static void Uniform(nn.Module layer, double bound, Generator generator)
    {
        foreach (var (_, p) in layer.named_parameters())
        {
            var sample = rand(p.shape, dtype: p.dtype, generator: generator).mul_(2 * bound).sub_(bound);
            p.copy_(sample.to(p.device));
        }
    }
}
