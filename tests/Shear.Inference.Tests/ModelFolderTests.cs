using Shear.Data;
using Shear.Inference.Loading;
using Shear.Masks;
using Shear.Models;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Inference;

/// <summary>Reading a run folder without libtorch: the weights file decodes to the module's own tensors, and what is
/// missing or does not fit is an error naming the file.</summary>
public class ModelFolderTests
{
    [Fact]
    public void Read_SavedWeights_EqualTheModulesTensorsNameByName()
    {
        using var folder = new TempDirectory();
        var card = new ModelCard("resnet20", new ImageShape(3, 8, 8), 10, new ModelOptions { Width = 0.25 });
        using var model = card.Create(2, CPU);
        card.Save(folder.Path, model);

        var weights = TorchSharpWeights.Read(folder.File("model.bin"));

        var expected = model.state_dict().Where(p => p.Value.dtype == ScalarType.Float32).ToList();
        Assert.Equal(expected.Select(p => p.Key).Order(StringComparer.Ordinal), weights.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, p =>
        {
            Assert.Equal(p.Value.shape.Select(d => (int)d), weights[p.Key].Shape);
            Assert.Equal(p.Value.data<float>().ToArray(), weights[p.Key].Values);
        });
    }

    [Fact]
    public void Load_FolderWithoutWeights_NamesTheFolderAndTheFiles()
    {
        using var folder = new TempDirectory();

        var error = Assert.Throws<FileNotFoundException>(() => InferenceModel.Load(folder.Path));

        Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("model.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedWeights_NamesTheFile()
    {
        using var folder = new TempDirectory();
        var card = new ModelCard("mlp", new ImageShape(1, 4, 4), 3, new ModelOptions { Widths = [5] });
        using var model = card.Create(1, CPU);
        card.Save(folder.Path, model);
        var bytes = File.ReadAllBytes(folder.File("model.bin"));
        File.WriteAllBytes(folder.File("model.bin"), bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => InferenceModel.Load(folder.Path));

        Assert.Contains(folder.File("model.bin"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MaskOfTheWrongShape_NamesTheFileTheMaskAndBothShapes()
    {
        using var folder = new TempDirectory();
        var card = new ModelCard("mlp", new ImageShape(1, 4, 4), 3, new ModelOptions { Widths = [5] });
        using var model = card.Create(1, CPU);
        card.Save(folder.Path, model);
        using var masks = new MaskSet([KeyValuePair.Create("fc1.weight", ones(5, 15, dtype: ScalarType.Bool))]);
        MaskFile.Save(folder.File("masks.bin"), masks);

        var error = Assert.Throws<InvalidDataException>(() => InferenceModel.Load(folder.Path));

        Assert.Contains(folder.File("masks.bin"), error.Message, StringComparison.Ordinal);
        Assert.Contains("'fc1.weight' has shape [5, 15], the weight has [5, 16]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InputThatIsNotWholeImages_IsRefusedWithTheImageSize()
    {
        using var folder = new TempDirectory();
        var card = new ModelCard("mlp", new ImageShape(1, 4, 4), 3, new ModelOptions { Widths = [5] });
        using var model = card.Create(1, CPU);
        card.Save(folder.Path, model);

        var error = Assert.Throws<ArgumentException>(() => InferenceModel.Load(folder.Path).Run(new float[20]));

        Assert.Contains("20 floats are not whole images of 1x4x4 (16 floats each)", error.Message, StringComparison.Ordinal);
    }
}
