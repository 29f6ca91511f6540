using Shear.Data;
using Shear.Models;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Export.Safetensors;

/// <summary>Model weights under PyTorch's names: a saved model loads into a fresh one with identical outputs, and a
/// file for another shape names the tensor.</summary>
public class ModelSafetensorsTests
{
    private static readonly ImageShape _shape = new(3, 16, 16);

    [Theory]
    [InlineData("lenet5")]
    [InlineData("vgg11")]
    [InlineData("resnet20")]
    public void Save_ThenLoadIntoAFreshModel_GivesIdenticalOutputs(string key)
    {
        using var dir = new TempDirectory();
        var card = new ModelCard(key, _shape, 10, new ModelOptions { Width = 0.25 });
        using var original = card.Create(1, CPU);
        using var fresh = card.Create(2, CPU);
        using var input = randn(4, 3, 16, 16);
        original.eval();
        fresh.eval();

        ModelSafetensors.Save(original, dir.File("m.safetensors"));
        ModelSafetensors.Load(fresh, dir.File("m.safetensors"));

        using var file = SafetensorsFile.Read(dir.File("m.safetensors"));
        Assert.Equal(original.state_dict().Keys.Order(StringComparer.Ordinal), file.Tensors.Select(t => t.Key).Order(StringComparer.Ordinal));
        using var expected = original.call(input);
        using var actual = fresh.call(input);
        TensorAssert.BitIdentical(expected, actual);
    }

    [Fact]
    public void Load_FileOfAnotherWidth_NamesTheTensorAndBothShapes()
    {
        using var dir = new TempDirectory();
        using var wide = new ModelCard("mlp", _shape, 10, new ModelOptions { Widths = [32] }).Create(1, CPU);
        using var narrow = new ModelCard("mlp", _shape, 10, new ModelOptions { Widths = [16] }).Create(1, CPU);
        ModelSafetensors.Save(wide, dir.File("wide.safetensors"));

        var error = Assert.Throws<DataFormatException>(() => ModelSafetensors.Load(narrow, dir.File("wide.safetensors")));

        Assert.Contains("tensor 'fc1.weight': shape [32, 768] in the file, the model needs [16, 768]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileMissingATensor_NamesIt()
    {
        using var dir = new TempDirectory();
        using var model = new ModelCard("mlp", _shape, 10, new ModelOptions { Widths = [16] }).Create(1, CPU);
        SafetensorsFile.Write(dir.File("partial.safetensors"), model.state_dict().Where(p => p.Key != "fc2.bias"));

        var error = Assert.Throws<DataFormatException>(() => ModelSafetensors.Load(model, dir.File("partial.safetensors")));

        Assert.Contains("tensors the model needs are missing: fc2.bias", error.Message, StringComparison.Ordinal);
    }
}
