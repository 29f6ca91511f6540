using Shear.Models;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Cli;

/// <summary>Issue 7's interchange acceptance: a CNN with a residual add exported from PyTorch
/// (peers/onnx_residual_export.py) is imported, pruned, fine-tuned and exported again, and ONNX Runtime runs the
/// result with Shear's outputs.</summary>
public class OnnxRoundTripTests
{
    [Fact]
    public void PyTorchOnnx_ImportPruneFinetuneExport_RunsInOnnxRuntime()
    {
        using var folder = new TempDirectory();
        string source = Path.Combine(AppContext.BaseDirectory, "fixtures", "peers", "residual_cnn.onnx");

        var prune = ShearProcess.ImportPruneExport(folder.Path, source, "--method", "magnitude", "--sparsity", "0.5",
            "--finetune-epochs", "1", "--data", "fashion-mnist-subset");

        Assert.Contains("sparsity 50.00 %", prune.Output.ReplaceLineEndings(" "), StringComparison.Ordinal);

        Shear.Runtime.TorchRuntime.Initialize();
        var (_, model) = ModelCard.Load(folder.File("pruned"), CPU);
        using (model)
        {
            model.eval();
            using var input = randn(3, 1, 28, 28, generator: new Generator(11));
            using var expected = model.call(input);
            using var actual = OnnxRuntimeOutputs.Run(folder.File("pruned.onnx"), input, expected);
            TensorAssert.AllClose(expected, actual, 1e-4);
        }
    }
}
