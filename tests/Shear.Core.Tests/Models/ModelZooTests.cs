using Shear.Data;
using Shear.Graphs;
using Shear.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Models;

public class ModelZooTests
{
    public static TheoryData<string> Keys() => [.. ModelZoo.All.Select(d => d.Key)];

    [Theory]
    [MemberData(nameof(Keys))]
    public void Forward_FashionMnistShape_GivesOneLogitPerClass(string key)
    {
        using var scope = NewDisposeScope();
        using var model = new GraphModule(ModelZoo.Build(key, new ImageShape(1, 28, 28), 10));
        model.eval();

        var output = model.call(randn(2, 1, 28, 28));

        Assert.Equal([2L, 10L], output.shape);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Forward_CifarShape100Classes_GivesOneLogitPerClass(string key)
    {
        using var scope = NewDisposeScope();
        using var model = new GraphModule(ModelZoo.Build(key, new ImageShape(3, 32, 32), 100));
        model.eval();

        var output = model.call(randn(2, 3, 32, 32));

        Assert.Equal([2L, 100L], output.shape);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Parameters_CountedFromGraph_EqualTheModuleParameterCount(string key)
    {
        var graph = ModelZoo.Build(key, new ImageShape(3, 32, 32), 10);
        using var model = new GraphModule(graph);

        long fromModule = model.parameters().Sum(p => p.numel());

        Assert.Equal(fromModule, ModelStatistics.Parameters(graph));
    }

    [Fact]
    public void Build_ImageNetStemAt224_HalvesTwiceBeforeTheFirstStage()
    {
        var graph = ModelZoo.Build("resnet18", new ImageShape(3, 224, 224), 1000, new ModelOptions { Stem = ResNetStem.ImageNet });

        Assert.Equal([64, 56, 56], graph.Node("layer1.0.conv1").OutputShape);
        Assert.Equal([512, 7, 7], graph.Node("layer4.1.conv2").OutputShape);
    }

    [Fact]
    public void Build_MlpWithWidths_UsesThem()
    {
        var graph = ModelZoo.Build("mlp", new ImageShape(1, 28, 28), 10, new ModelOptions { Widths = [500, 200, 50] });

        Assert.Equal(["fc1", "fc2", "fc3", "fc4"], graph.ParameterLayers.Select(n => n.Name));
        Assert.Equal((784 * 500) + 500 + (500 * 200) + 200 + (200 * 50) + 50 + (50 * 10) + 10, ModelStatistics.Parameters(graph));
    }

    [Fact]
    public void Get_UnknownKey_ErrorListsTheValidKeys()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelZoo.Get("resnet9000"));

        Assert.Contains("resnet9000", error.Message, StringComparison.Ordinal);
        Assert.Contains("lenet5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamedParameters_ResNet_FollowPyTorchNaming()
    {
        using var model = new GraphModule(ModelZoo.Build("resnet20", new ImageShape(3, 32, 32), 10));

        var names = model.named_parameters().Select(p => p.name).ToHashSet();

        Assert.Contains("conv1.weight", names);
        Assert.Contains("layer1.0.bn2.bias", names);
        Assert.Contains("layer2.0.downsample.0.weight", names);
        Assert.Contains("fc.bias", names);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", names);
    }
}
