using Shear.Graphs;

namespace Shear.Models;

/// <summary>Conv-2/4/6 from the Lottery Ticket paper: pairs of 3x3 convolutions, a max-pool after each pair.</summary>
internal static class ConvNet
{
    private static readonly int[] _pairWidths = [64, 128, 256];

    public static ModelGraph Build(ModelRequest request, int pairs)
    {
        var g = new GraphBuilder(request.Key, request.Input);
        var x = g.Input;
        int index = 0;
        for (int pair = 0; pair < pairs; pair++)
        {
            x = g.Relu(g.Conv(x, $"features.{index++}", request.Options.Scale(_pairWidths[pair]), kernel: 3, padding: 1));
            x = g.Relu(g.Conv(x, $"features.{index++}", request.Options.Scale(_pairWidths[pair]), kernel: 3, padding: 1));
            x = g.MaxPool(x, 2, 2);
        }
        x = g.Flatten(x);
        x = g.Relu(g.Linear(x, "fc1", 256));
        x = g.Relu(g.Linear(x, "fc2", 256));
        return g.Build(g.Linear(x, "fc3", request.Classes));
    }
}
