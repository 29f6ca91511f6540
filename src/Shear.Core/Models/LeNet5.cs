using Shear.Graphs;

namespace Shear.Models;

/// <summary>LeNet-5 as pruning papers use it: ReLU and max-pooling, padding 2 on the first convolution.</summary>
internal static class LeNet5
{
    public static ModelGraph Build(ModelRequest request)
    {
        var g = new GraphBuilder(request.Key, request.Input);
        var x = g.MaxPool(g.Relu(g.Conv(g.Input, "conv1", 6, kernel: 5, padding: 2)), 2, 2);
        x = g.MaxPool(g.Relu(g.Conv(x, "conv2", 16, kernel: 5)), 2, 2);
        x = g.Flatten(x);
        x = g.Relu(g.Linear(x, "fc1", 120));
        x = g.Relu(g.Linear(x, "fc2", 84));
        return g.Build(g.Linear(x, "fc3", request.Classes));
    }
}
