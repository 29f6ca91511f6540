using Shear.Data;
using Shear.Models;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Graphs;

/// <summary>The weight-transform hook: a convolution runs with the transformed kernel, gradients reach what the
/// transform reads, and removing it restores the plain layer.</summary>
public class GraphModuleWeightTransformTests
{
    private static GraphModule Model(long seed) => new ModelCard("lenet5", new ImageShape(1, 28, 28), 10, new ModelOptions()).Create(seed, CPU);

    [Fact]
    public void Transform_DoublingTheKernel_EqualsAModelWithTheKernelDoubled()
    {
        using var transformed = Model(3);
        using var doubled = Model(3);
        using var input = randn(2, 1, 28, 28, generator: new Generator(4));
        using (no_grad())
        {
            doubled.Layer("conv1").get_parameter("weight")!.mul_(2);
        }
        using var before = transformed.call(input);

        transformed.SetWeightTransform("conv1", weight => weight * 2);
        using var withTransform = transformed.call(input);
        using var expected = doubled.call(input);
        transformed.SetWeightTransform("conv1", null);
        using var after = transformed.call(input);

        Assert.True(withTransform.allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.False(withTransform.allclose(before));
        Assert.True(after.eq(before).all().item<bool>());
    }

    [Fact]
    public void Transform_ReadingAFactor_PassesGradientsToItAndLeavesTheWeightIntact()
    {
        using var model = Model(5);
        using var factor = ones(1).requires_grad_(true);
        var weight = model.Layer("conv1").get_parameter("weight")!;
        using var original = weight.detach().clone();
        model.SetWeightTransform("conv1", w => w * factor);
        // An identity transform hands back the parameter itself, which the module must not free.
        model.SetWeightTransform("conv2", w => w);
        using var input = randn(2, 1, 28, 28, generator: new Generator(6));

        using var sum = model.call(input).sum();
        sum.backward();

        Assert.NotNull(factor.grad);
        Assert.NotEqual(0, factor.grad!.item<float>());
        Assert.True(weight.eq(original).all().item<bool>());
        Assert.False(model.Layer("conv2").get_parameter("weight")!.IsInvalid);
    }

    [Fact]
    public void SetWeightTransform_NotAConvolution_NamesTheLayer()
    {
        using var model = Model(1);

        var error = Assert.Throws<ArgumentException>(() => model.SetWeightTransform("fc1", w => w));

        Assert.Contains("lenet5.fc1: a weight transform needs a convolution", error.Message, StringComparison.Ordinal);
    }
}
