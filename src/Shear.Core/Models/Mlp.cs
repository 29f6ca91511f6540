using Shear.Graphs;

namespace Shear.Models;

/// <summary>Multilayer perceptron; LeNet-300-100 by default.</summary>
internal static class Mlp
{
    private static readonly int[] _defaultWidths = [300, 100];

    public static ModelGraph Build(ModelRequest request)
    {
        var widths = request.Options.Widths ?? _defaultWidths;
        var g = new GraphBuilder(request.Key, request.Input);
        var x = g.Flatten(g.Input);
        for (int i = 0; i < widths.Count; i++)
        {
            x = g.Relu(g.Linear(x, $"fc{i + 1}", widths[i]));
        }
        return g.Build(g.Linear(x, $"fc{widths.Count + 1}", request.Classes));
    }
}
