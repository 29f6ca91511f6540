using Shear.Data;
using Shear.Models;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Cli;

/// <summary>Issue 20's goal as a user runs it: each torchvision CNN exported by PyTorch
/// (peers/torchvision_onnx_export.py, opset 13) is imported, pruned structurally (l1-filter, 30 % of every channel
/// group), compacted, fine-tuned one epoch on a small synthetic 3x64x64 set and exported again, and ONNX Runtime
/// runs the result with Shear's outputs.</summary>
public class TorchvisionRoundTripTests
{
    [Theory]
    [InlineData("resnet18")]
    [InlineData("mobilenet_v2")]
    [InlineData("mobilenet_v3_small")]
    [InlineData("squeezenet1_1")]
    [InlineData("efficientnet_b0")]
    public void TorchvisionOnnx_ImportPruneCompactFinetuneExport_RunsInOnnxRuntime(string model)
    {
        using var folder = new TempDirectory();
        string source = Path.Combine(AppContext.BaseDirectory, "fixtures", "peers", "torchvision", $"{model}-opset13.onnx");
        NpzFile.WriteSynthetic(folder.File("synthetic.npz"), train: 40, test: 20, classes: 10, new ImageShape(3, 64, 64));

        var prune = ShearProcess.ImportPruneExport(folder.Path, source, "--method", "l1-filter", "--sparsity", "0.3",
            "--finetune-epochs", "1", "--data", "synthetic.npz");

        Assert.Contains("compacted: parameters", prune.Output, StringComparison.Ordinal);

        Shear.Runtime.TorchRuntime.Initialize();
        var (card, pruned) = ModelCard.Load(folder.File("pruned"), CPU);
        var (_, imported) = ModelCard.Load(folder.File("imported"), CPU);
        using (pruned)
        using (imported)
        {
            Assert.True(Metrics.ModelStatistics.Macs(pruned.Graph) < Metrics.ModelStatistics.Macs(imported.Graph));
            pruned.eval();
            using var input = randn(3, 3, 64, 64, generator: new Generator(11));
            using var expected = pruned.call(input);
            using var actual = OnnxRuntimeOutputs.Run(folder.File("pruned.onnx"), input, expected);
            TensorAssert.AllClose(expected, actual, 1e-4);
            Assert.Equal(new ImageShape(3, 64, 64), card.Input);
        }
    }
}
