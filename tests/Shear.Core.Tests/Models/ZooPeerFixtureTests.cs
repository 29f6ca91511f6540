using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Shear.Data;
using Shear.Graphs;
using Shear.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Models;

/// <summary>Parameter and MAC counts, output shapes and state-dict names against PyTorch 1.13 running
/// <c>peers/zoo.py</c> (figures recorded by <c>peers/zoo_counts.py</c> in tests/fixtures/peers/zoo_counts.json).</summary>
public class ZooPeerFixtureTests
{
    public sealed record PeerCase(string Model, string Input, int Classes, string? Stem, long Parameters, long Macs,
        long[] OutputShape, string StateDictKeysSortedSha256)
    {
        public override string ToString() => $"{Model} {Input}/{Classes} {Stem}";
    }

    public static TheoryData<PeerCase> Cases()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "peers", "zoo_counts.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var data = new TheoryData<PeerCase>();
        foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(new PeerCase(c.GetProperty("model").GetString()!, c.GetProperty("input").GetString()!,
                c.GetProperty("classes").GetInt32(), c.GetProperty("stem").GetString(), c.GetProperty("parameters").GetInt64(),
                c.GetProperty("macs").GetInt64(), [.. c.GetProperty("output_shape").EnumerateArray().Select(e => e.GetInt64())],
                c.GetProperty("state_dict_keys_sorted_sha256").GetString()!));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Counts_MatchPyTorch(PeerCase peer)
    {
        var graph = Build(peer);

        Assert.Equal(peer.Parameters, ModelStatistics.Parameters(graph));
        Assert.Equal(peer.Macs, ModelStatistics.Macs(graph));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StateDictNamesAndOutputShape_MatchPyTorch(PeerCase peer)
    {
        using var scope = NewDisposeScope();
        using var model = new GraphModule(Build(peer));
        model.eval();
        int[] chw = [.. peer.Input.Split('x').Select(int.Parse)];

        var output = model.call(zeros(1, chw[0], chw[1], chw[2]));
        string keys = string.Join("\n", model.state_dict().Keys.Order(StringComparer.Ordinal));

        Assert.Equal(peer.OutputShape, output.shape);
        Assert.Equal(peer.StateDictKeysSortedSha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keys))));
    }

    private static ModelGraph Build(PeerCase peer)
    {
        int[] chw = [.. peer.Input.Split('x').Select(int.Parse)];
        var stem = peer.Stem switch { "cifar" => ResNetStem.Cifar, "imagenet" => ResNetStem.ImageNet, _ => ResNetStem.Auto };
        return ModelZoo.Build(peer.Model, new ImageShape(chw[0], chw[1], chw[2]), peer.Classes, new ModelOptions { Stem = stem });
    }
}
