using System.Text.Json;
using Shear.Data;
using Shear.Models;
using Shear.Pruning.Structure;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Cli;

/// <summary>`shear compact`: a model with emptied channels becomes a smaller model that evaluates the same.</summary>
public class CompactCommandTests
{
    [Fact]
    public void Compact_ModelWithEmptiedChannels_SavesASmallerModelWithTheSameAccuracy()
    {
        Shear.Runtime.TorchRuntime.Initialize(); // this test builds its input in-process; the others only start `shear`
        using var folder = new TempDirectory();
        var card = new ModelCard("lenet5", new ImageShape(1, 28, 28), 10, new ModelOptions());
        using (var model = card.Create(1, CPU))
        {
            var channels = ChannelGraph.Build(model.Graph);
            ChannelSurgery.ZeroRemoved(model, channels, [.. channels.Groups.Select(g => Enumerable.Range(0, g.Channels).Select(c => c % 3 != 0).ToArray())]);
            card.Save(folder.File("run"), model);
        }

        var compact = ShearProcess.Run(folder.Path, "compact", "run", "--out", "small");
        var before = ShearProcess.Run(folder.Path, "eval", "run", "--data", "fashion-mnist-subset", "--threads", "1");
        var after = ShearProcess.Run(folder.Path, "eval", "small", "--data", "fashion-mnist-subset", "--threads", "1");

        Assert.Equal(ExitCodes.Ok, compact.ExitCode);
        Assert.Equal(Top1(before.Output), Top1(after.Output));
        using var summary = JsonDocument.Parse(File.ReadAllText(folder.File("small/compact.json")));
        long parametersBefore = summary.RootElement.GetProperty("before").GetProperty("parameters").GetInt64();
        long parametersAfter = summary.RootElement.GetProperty("after").GetProperty("parameters").GetInt64();
        Assert.InRange(parametersAfter, parametersBefore / 3, parametersBefore * 3 / 4);
        Assert.Contains("\"description\"", File.ReadAllText(folder.File("small/model.json")), StringComparison.Ordinal);
    }

    private static string Top1(string output) => output[output.IndexOf("top-1", StringComparison.Ordinal)..].Split(',')[0];
}
