using Shear.Data;
using Shear.Models;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Experiments.Benchmarks;

// The hand-written twins are the yardstick for the graph interpreter's overhead, so they must be the same network:
// same logits and same gradients as the zoo's graph module from the same weights.
public class HandWrittenModelsTests
{
    public static TheoryData<string, double> Twins() => new()
    {
        { "mlp", 1 }, { "lenet5", 1 }, { "conv2", 0.25 }, { "conv6", 0.25 }, { "vgg11", 0.25 }, { "resnet20", 1 }, { "resnet32", 1 },
    };

    [Theory]
    [MemberData(nameof(Twins))]
    public void Twin_FromTheZooWeights_GivesTheGraphsLogitsAndGradients(string key, double width)
    {
        using var scope = NewDisposeScope();
        var shape = new ImageShape(1, 28, 28);
        using var graph = new ModelCard(key, shape, 10, new ModelOptions { Width = width }).Create(seed: 3, CPU);
        using var twin = HandWrittenModels.Create(key, graph);
        graph.train();
        twin.train();
        var input = randn(6, 1, 28, 28, generator: new Generator(11));
        var labels = tensor(new long[] { 1, 2, 3, 4, 5, 6 });

        var fromGraph = graph.call(input);
        nn.functional.cross_entropy(fromGraph, labels).backward();
        var fromTwin = twin.call(input);
        nn.functional.cross_entropy(fromTwin, labels).backward();

        TensorAssert.AllClose(fromGraph, fromTwin, 1e-5);
        foreach (var (ours, theirs) in graph.parameters().Zip(twin.parameters()))
        {
            TensorAssert.AllClose(ours.grad!, theirs.grad!, 1e-5);
        }
    }

    [Fact]
    public void Create_ModelWithoutTwin_NamesTheKey()
    {
        using var graph = new ModelCard("resnet18", new ImageShape(3, 32, 32), 10, new ModelOptions { Width = 0.25 }).Create(seed: 1, CPU);

        var error = Assert.Throws<ArgumentException>(() => HandWrittenModels.Create("resnet18", graph));

        Assert.Contains("resnet18", error.Message, StringComparison.Ordinal);
    }
}
