using Shear.Data;
using Shear.Models;
using Shear.Pruning.Structure;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Experiments.Runs;

/// <summary>The plan file a resumed structured run compacts by: it gives back the plan, and refuses one written for
/// another model, naming the file.</summary>
public class ChannelPlanFileTests
{
    private static ChannelGraph Channels(string model, double width = 1)
    {
        using var module = new ModelCard(model, new ImageShape(3, 16, 16), 4, new ModelOptions { Width = width }).Create(1, CPU);
        return ChannelGraph.Build(module.Graph);
    }

    [Fact]
    public void SaveThenLoad_GivesBackTheKeepArrays()
    {
        using var folder = new TempDirectory();
        var channels = Channels("resnet20");
        var random = new Random(3);
        var keep = channels.Groups.Select(g => Enumerable.Range(0, g.Channels).Select(c => c == 0 || random.NextDouble() < 0.5).ToArray()).ToList();
        string path = folder.File("plans/filters.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        ChannelPlanFile.Save(path, new ChannelPlan(channels, keep));
        var loaded = ChannelPlanFile.Load(path, channels);

        Assert.Equal(keep, loaded.Keep);
        Assert.Same(channels, loaded.Channels);
    }

    [Fact]
    public void Load_PlanOfAnotherModel_NamesTheFileAndTheGroup()
    {
        using var folder = new TempDirectory();
        var wide = Channels("resnet20");
        string path = folder.File("plan.json");
        ChannelPlanFile.Save(path, new ChannelPlan(wide, [.. wide.Groups.Select(g => Enumerable.Repeat(true, g.Channels).ToArray())]));

        var error = Assert.Throws<InvalidDataException>(() => ChannelPlanFile.Load(path, Channels("resnet20", width: 0.5)));
        var other = Assert.Throws<InvalidDataException>(() => ChannelPlanFile.Load(path, Channels("vgg11")));

        Assert.StartsWith($"{path}: group 0 does not match", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotJson_NamesTheFile()
    {
        using var folder = new TempDirectory();
        string path = folder.File("plan.json");
        File.WriteAllText(path, "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => ChannelPlanFile.Load(path, Channels("vgg11")));

        Assert.StartsWith($"{path}: not a channel plan", error.Message, StringComparison.Ordinal);
    }
}
