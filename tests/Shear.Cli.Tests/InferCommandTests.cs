using System.Text.Json;
using Shear.TestKit;
using Xunit;

namespace Shear.Cli;

/// <summary><c>shear infer</c> runs a pruned run in Shear's own engine and gives <c>shear eval</c>'s figures.</summary>
public class InferCommandTests
{
    [Fact]
    public void Infer_PrunedRun_GivesTheTop1AndLossOfEval()
    {
        using var folder = new TempDirectory();
        var prune = ShearProcess.Run(folder.Path, "prune", "--model", "lenet5", "--method", "magnitude", "--selection", "layerwise", "--sparsity", "0.9", "--data", "fashion-mnist-subset",
            "--epochs", "1", "--finetune-epochs", "0", "--threads", "1", "--out", "run");
        Assert.True(prune.ExitCode == 0, prune.Errors);

        var eval = ShearProcess.Run(folder.Path, "eval", "run", "--data", "fashion-mnist-subset", "--threads", "1", "--json", "eval.json");
        var infer = ShearProcess.Run(folder.Path, "infer", "run", "--data", "fashion-mnist-subset", "--threads", "2", "--json", "infer.json");

        Assert.True(infer.ExitCode == 0, infer.Errors);
        using var expected = JsonDocument.Parse(File.ReadAllText(folder.File("eval.json")));
        using var actual = JsonDocument.Parse(File.ReadAllText(folder.File("infer.json")));
        var (e, a) = (expected.RootElement.GetProperty("evaluation"), actual.RootElement.GetProperty("evaluation"));
        Assert.Equal(e.GetProperty("top1").GetDouble(), a.GetProperty("top1").GetDouble());
        Assert.Equal(e.GetProperty("loss").GetDouble(), a.GetProperty("loss").GetDouble(), 4);
        // At 90 % every conv and linear layer runs the sparse kernel.
        Assert.All(actual.RootElement.GetProperty("engine").GetProperty("layers").EnumerateArray(), l => Assert.True(l.GetProperty("sparse").GetBoolean()));
    }

    [Fact]
    public void Infer_FolderWithoutAModel_NamesTheFolder()
    {
        using var folder = new TempDirectory();

        var outcome = ShearProcess.Run(folder.Path, "infer", "nothing-here", "--data", "fashion-mnist-subset");

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("nothing-here", outcome.Errors, StringComparison.Ordinal);
    }
}
