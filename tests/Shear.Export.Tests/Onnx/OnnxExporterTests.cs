using Shear.Data;
using Shear.Masks;
using Shear.Models;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Export.Onnx;

/// <summary>ONNX Runtime runs every exported zoo family and agrees with Shear to 1e-4, masked models included.</summary>
public class OnnxExporterTests
{
    public static TheoryData<string, int, int, double> Models() => ZooFamilies.Theory();

    [Theory]
    [MemberData(nameof(Models))]
    public void Export_ZooModel_RunsInOnnxRuntimeWithShearsOutputs(string key, int channels, int side, double width)
    {
        using var dir = new TempDirectory();
        var card = new ModelCard(key, new ImageShape(channels, side, side), 10, new ModelOptions { Width = width });
        using var model = card.Create(3, CPU);
        ZooFamilies.RandomiseNormStatistics(model);
        model.eval();
        using var input = randn(2, channels, side, side, generator: new Generator(5));

        OnnxExporter.Export(model, dir.File("m.onnx"));

        using var expected = model.call(input);
        using var actual = OnnxRuntimeOutputs.Run(dir.File("m.onnx"), input, expected, OnnxExporter.InputName);
        TensorAssert.AllClose(expected, actual, 1e-4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Export_MobileOperators_RunInOnnxRuntimeWithShearsOutputs(bool log)
    {
        using var dir = new TempDirectory();
        using var model = new Graphs.GraphModule(OperatorGraphs.MobileOperators(log));
        model.eval();
        using var input = randn(2, 3, 9, 9, generator: new Generator(5));

        OnnxExporter.Export(model, dir.File("ops.onnx"));

        using var expected = model.call(input);
        TensorAssert.AllClose(expected, OnnxRuntimeOutputs.Run(dir.File("ops.onnx"), input, expected, OnnxExporter.InputName), 1e-5);
        // And back: the import reads every operator it wrote.
        var (_, imported) = OnnxImporter.Import(dir.File("ops.onnx"));
        using (imported)
        {
            imported.eval();
            TensorAssert.AllClose(expected, imported.call(input), 1e-6);
        }
    }

    [Fact]
    public void Export_MaskedModel_KeepsItsZeros()
    {
        using var dir = new TempDirectory();
        var card = new ModelCard("lenet5", new ImageShape(1, 28, 28), 10, new ModelOptions());
        using var model = card.Create(1, CPU);
        var parameters = PrunableScope.Default.Resolve(model);
        using var masks = new MaskSet(parameters.Select(p => KeyValuePair.Create(p.Name, rand(p.Weight.shape, generator: new Generator(2)).gt(0.8))));
        using (var applier = new MaskApplier(parameters, masks))
        {
            applier.ApplyToWeights();
        }
        model.eval();
        using var input = randn(3, 1, 28, 28, generator: new Generator(4));

        OnnxExporter.Export(model, dir.File("masked.onnx"));

        using var expected = model.call(input);
        TensorAssert.AllClose(expected, OnnxRuntimeOutputs.Run(dir.File("masked.onnx"), input, expected, OnnxExporter.InputName), 1e-4);
        var zeros = OnnxExporter.Build(model).Graph.Initializer.Where(i => i.Name.EndsWith(".weight", StringComparison.Ordinal) && i.Dims.Count > 1)
            .Sum(i => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(i.RawData.Span).ToArray().Count(v => v == 0));
        Assert.Equal(masks.Total - masks.Kept, zeros);
    }
}
