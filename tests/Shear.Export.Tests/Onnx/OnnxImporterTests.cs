using Google.Protobuf;
using Shear.Data;
using Shear.Export.Onnx.Schema;
using Shear.Models;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Export.Onnx;

/// <summary>ONNX import: every zoo family exported and read back computes the same outputs under the same layer
/// names; what Shear cannot represent is an error naming the node and its operator.</summary>
public class OnnxImporterTests
{
    public static TheoryData<string, int, int, double> Models() => ZooFamilies.Theory();

    [Theory]
    [MemberData(nameof(Models))]
    public void Import_ExportedZooModel_SameOutputsAndParameterNames(string key, int channels, int side, double width)
    {
        using var dir = new TempDirectory();
        var card = new ModelCard(key, new ImageShape(channels, side, side), 10, new ModelOptions { Width = width });
        using var model = card.Create(3, CPU);
        ZooFamilies.RandomiseNormStatistics(model);
        model.eval();
        OnnxExporter.Export(model, dir.File("m.onnx"));

        var (imported, module) = OnnxImporter.Import(dir.File("m.onnx"));
        using (module)
        {
            module.eval();
            using var input = randn(2, channels, side, side, generator: new Generator(5));
            using var expected = model.call(input);
            using var actual = module.call(input);

            TensorAssert.AllClose(expected, actual, 1e-5);
            Assert.Equal(model.state_dict().Keys.Order(StringComparer.Ordinal), module.state_dict().Keys.Order(StringComparer.Ordinal));
            Assert.Equal((card.Input, card.Classes), (imported.Input, imported.Classes));
            Assert.NotNull(imported.Description);
        }
    }

    [Fact]
    public void Import_ThenSaveAndLoad_KeepsTheModel()
    {
        using var dir = new TempDirectory();
        var card = new ModelCard("resnet20", new ImageShape(3, 8, 8), 10, new ModelOptions());
        using var model = card.Create(1, CPU);
        OnnxExporter.Export(model, dir.File("m.onnx"));
        var (imported, module) = OnnxImporter.Import(dir.File("m.onnx"));
        using (module)
        {
            imported.Save(dir.File("run"), module);
        }

        var (loaded, reloaded) = ModelCard.Load(dir.File("run"), CPU);
        using (reloaded)
        {
            model.eval();
            reloaded.eval();
            using var input = randn(2, 3, 8, 8, generator: new Generator(5));
            TensorAssert.AllClose(model.call(input), reloaded.call(input), 1e-5);
            Assert.Equal(imported.Key, loaded.Key);
        }
    }

    [Fact]
    public void Import_UnsupportedOperator_NamesTheNodeAndTheOperator()
    {
        using var dir = new TempDirectory();
        var onnx = Lenet5Proto();
        onnx.Graph.Node.Insert(1, new NodeProto { Name = "odd_one", OpType = "Einsum", Input = { onnx.Graph.Node[0].Output[0] }, Output = { "sum" } });
        File.WriteAllBytes(dir.File("bad.onnx"), onnx.ToByteArray());

        var error = Assert.Throws<InvalidDataException>(() => OnnxImporter.Import(dir.File("bad.onnx")));

        Assert.StartsWith(dir.File("bad.onnx") + ": node 'odd_one' is a Einsum, an operator Shear cannot import (it reads Conv, ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_GroupCountThatDoesNotFitTheKernel_IsRefusedNamingTheNode()
    {
        using var dir = new TempDirectory();
        var onnx = Lenet5Proto();
        var conv = onnx.Graph.Node.First(n => n.OpType == "Conv");
        var existing = conv.Attribute.Where(a => a.Name == "group").ToList();
        existing.ForEach(a => conv.Attribute.Remove(a));
        conv.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = 2 });
        File.WriteAllBytes(dir.File("grouped.onnx"), onnx.ToByteArray());

        var error = Assert.Throws<InvalidDataException>(() => OnnxImporter.Import(dir.File("grouped.onnx")));

        Assert.Contains($"node '{conv.Name}' (Conv) has group 2 with a kernel of shape [6, 1, 5, 5] on 1 input channels, which Shear cannot import.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_IdentityOnAnInitializerAndAZeroPad_AreResolved()
    {
        // PyTorch's exporter names one initializer twice through an Identity; a zero Pad folds into the conv after it.
        using var dir = new TempDirectory();
        var onnx = Lenet5Proto();
        var conv = onnx.Graph.Node.First(n => n.OpType == "Conv");
        onnx.Graph.Node.Insert(0, new NodeProto { Name = "alias", OpType = "Identity", Input = { conv.Input[1] }, Output = { "weight_alias" } });
        conv.Input[1] = "weight_alias";
        onnx.Graph.Initializer.Add(new TensorProto { Name = "pads", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 8 }, Int64Data = { 0, 0, 1, 1, 0, 0, 1, 1 } });
        onnx.Graph.Node.Insert(1, new NodeProto { Name = "pad", OpType = "Pad", Input = { conv.Input[0], "pads" }, Output = { "padded" } });
        var pads = conv.Attribute.Single(a => a.Name == "pads");
        int padding = (int)pads.Ints[0];
        pads.Ints.Clear();
        pads.Ints.Add([padding - 1, padding - 1, padding - 1, padding - 1]);
        conv.Input[0] = "padded";
        File.WriteAllBytes(dir.File("aliased.onnx"), onnx.ToByteArray());

        var (_, module) = OnnxImporter.Import(dir.File("aliased.onnx"));
        using (module)
        {
            using var original = new ModelCard("lenet5", new ImageShape(1, 28, 28), 10, new ModelOptions()).Create(1, CPU);
            original.eval();
            module.eval();
            Assert.Equal(padding, module.Graph.Nodes.Select(n => n.Layer).OfType<Graphs.Conv2dSpec>().First().Padding);
            using var input = randn(2, 1, 28, 28, generator: new Generator(3));
            TensorAssert.AllClose(original.call(input), module.call(input), 1e-5);
        }
    }

    [Fact]
    public void Import_NotAnOnnxFile_SaysSo()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("text.onnx"), "this is not protobuf at all, just some text");

        var error = Assert.Throws<InvalidDataException>(() => OnnxImporter.Import(dir.File("text.onnx")));

        Assert.Contains("text.onnx", error.Message, StringComparison.Ordinal);
    }

    // peers/onnx_residual_export.py: a CNN with a residual add, exported by PyTorch 1.13 (BN folded into the
    // convolutions, the flatten written as Flatten); its logits for a deterministic probe are the fixture.
    [Fact]
    public void Import_PyTorchExportedResidualCnn_GivesPyTorchsLogits()
    {
        var (card, module) = OnnxImporter.Import(Path.Combine(AppContext.BaseDirectory, "fixtures", "peers", "residual_cnn.onnx"));
        using (module)
        {
            module.eval();
            using var fixture = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "peers", "residual_cnn.json")));
            var expected = fixture.RootElement.GetProperty("probeLogits").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
            using var probe = sin(arange(4 * 784, dtype: float64).mul(0.01)).to(float32).reshape(4, 1, 28, 28);

            using var logits = module.call(probe);

            Assert.Equal((new ImageShape(1, 28, 28), 10), (card.Input, card.Classes));
            Assert.Contains(module.Graph.Nodes, n => n.Layer is Graphs.AddSpec);
            TensorAssert.AllClose(tensor(expected).reshape(4, 10), logits, 1e-4);
        }
    }

    private static ModelProto Lenet5Proto()
    {
        using var model = new ModelCard("lenet5", new ImageShape(1, 28, 28), 10, new ModelOptions()).Create(1, CPU);
        return OnnxExporter.Build(model);
    }
}
