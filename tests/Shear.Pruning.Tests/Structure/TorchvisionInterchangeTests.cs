using System.Text.Json;
using Shear.Export.Onnx;
using Shear.Inference;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Structure;

/// <summary>Issue 20's interchange proof: the CNNs users bring (torchvision's resnet18, mobilenet_v2,
/// mobilenet_v3_small, squeezenet1_1 and efficientnet_b0, exported by PyTorch 1.13 at opsets 13 and 17 by
/// peers/torchvision_onnx_export.py) import with PyTorch's logits, run in Shear's engine, lose 30 % of every channel
/// group to compaction with the masked model's outputs, and export to ONNX files that ONNX Runtime runs with Shear's
/// outputs.</summary>
public class TorchvisionInterchangeTests
{
    private static readonly string _folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "peers", "torchvision");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string model in new[] { "resnet18", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1", "efficientnet_b0" })
        {
            foreach (int opset in new[] { 13, 17 })
            {
                data.Add($"{model}-opset{opset}");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Import_TorchvisionCnn_PrunesCompactsAndExportsWithTheSameOutputs(string file)
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "torchvision.json")));
        var expected = fixture.RootElement.GetProperty("models").GetProperty(file).GetProperty("logits")
            .EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        long[] shape = [.. fixture.RootElement.GetProperty("input").EnumerateArray().Select(d => d.GetInt64())];
        using var input = sin(arange(shape.Aggregate(1L, (a, b) => a * b), dtype: float64).mul(0.01)).to(float32).reshape(shape);
        using var dir = new TempDirectory();

        var (card, model) = OnnxImporter.Import(Path.Combine(_folder, file + ".onnx"));
        using (model)
        {
            model.eval();
            // Layers keep torchvision's module names (features.1.block.0.0), read from the exporter's node scopes
            // where BN folding renamed the weights.
            Assert.All(model.Graph.ParameterLayers, n => Assert.Matches("^[a-z_]+[0-9]*(\\.[a-z0-9_]+)*$", n.Name));
            using (var logits = model.call(input))
            {
                TensorAssert.AllClose(tensor(expected).reshape(logits.shape), logits, 1e-4, "imported model against PyTorch");
            }

            // Shear's own engine runs every imported operator.
            card.Save(dir.Path, model);
            using (var engine = InferenceModel.Load(dir.Path, new InferenceOptions { Threads = 1 }))
            {
                TensorAssert.AllClose(tensor(expected).reshape(shape[0], -1), tensor(engine.Run(input.data<float>().ToArray())).reshape(shape[0], -1), 1e-4, "engine against PyTorch");
            }

            // 30 % of every channel group, then compaction: the masked and the compacted model agree.
            var channels = ChannelGraph.Build(model.Graph);
            Assert.NotEmpty(channels.Groups);
            var random = new Random(3);
            var keep = channels.Groups.Select(g => Enumerable.Range(0, g.Channels).Select(_ => random.NextDouble() >= 0.3).ToArray()).ToList();
            keep.Where(k => !k.Any(c => c)).ToList().ForEach(k => k[0] = true);
            using var probe = input.to(float64);
            using var compact = CompactionCheck.AssertEqualsMaskedModel(model, new ChannelPlan(channels, keep), probe);

            using var reference = compact.call(probe);
            TorchSharp.ModuleExtensionMethods.to(compact, float32);
            OnnxExporter.Export(compact, dir.File("compact.onnx"));
            using var shearOutput = compact.call(input);
            TensorAssert.AllClose(reference, shearOutput, 1e-4, "compacted model in float32 against float64");
            using var onnxRuntime = OnnxRuntimeOutputs.Run(dir.File("compact.onnx"), input, reference, OnnxExporter.InputName);
            TensorAssert.AllClose(reference, onnxRuntime, 1e-4, "ONNX Runtime against the compacted model");
        }
    }
}
