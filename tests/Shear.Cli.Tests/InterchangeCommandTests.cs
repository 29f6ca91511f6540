using Shear.TestKit;
using Xunit;

namespace Shear.Cli;

/// <summary>`shear export` and `shear import`: a model survives the round trip, and bad files name the problem.</summary>
public class InterchangeCommandTests
{
    [Fact]
    public void ExportThenImport_GivesAModelWithTheSameAccuracy()
    {
        using var folder = new TempDirectory();
        string[] data = ["--data", "fashion-mnist-subset", "--threads", "1"];
        Assert.Equal(ExitCodes.Ok, ShearProcess.Run(folder.Path, ["train", "--model", "mlp", "--widths", "16", "--epochs", "1", "--out", "run", .. data]).ExitCode);

        var export = ShearProcess.Run(folder.Path, "export", "run", "--out", "model.safetensors");
        var import = ShearProcess.Run(folder.Path, "import", "model.safetensors", "--out", "back");
        var before = ShearProcess.Run(folder.Path, ["eval", "run", .. data]);
        var after = ShearProcess.Run(folder.Path, ["eval", "back", .. data]);

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (export.ExitCode, import.ExitCode));
        Assert.Contains("top-1", before.Output, StringComparison.Ordinal);
        Assert.Equal(before.Output.Split(':')[^1], after.Output.Split(':')[^1]);
        var onnx = ShearProcess.Run(folder.Path, "export", "run", "--format", "onnx", "--out", "model.onnx");
        Assert.Equal(ExitCodes.Ok, onnx.ExitCode);
        Assert.True(new FileInfo(folder.File("model.onnx")).Length > 16 * 784 * 4, "the ONNX file should hold the weights");
    }

    [Fact]
    public void Import_MalformedFile_ExitsWithBadInputNamingTheTensor()
    {
        using var folder = new TempDirectory();
        byte[] header = System.Text.Encoding.UTF8.GetBytes("""{"fc1.weight":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""");
        File.WriteAllBytes(folder.File("bad.safetensors"), [.. BitConverter.GetBytes((ulong)header.Length), .. header, 0, 0, 0, 0]);

        var outcome = ShearProcess.Run(folder.Path, "import", "bad.safetensors", "--out", "back");

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("tensor 'fc1.weight': data_offsets [0, 16] out of range", outcome.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("back")));
    }
}
