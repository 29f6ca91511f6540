using Shear.Data;
using Shear.Graphs;
using Shear.Models;
using Shear.Pruning.Structure;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Stripes;

/// <summary>The final structural pruning of CDP + DTC: folding the skeleton keeps the function, dropped filters
/// leave the model by compaction without changing its outputs, and the BN masking follows METHODS.md §4.3.</summary>
public class StripePruningTests
{
    private static GraphModule Vgg(out ChannelGraph channels)
    {
        var card = new ModelCard("vgg11", new ImageShape(3, 32, 32), 10, new ModelOptions { Width = 0.125 });
        var model = card.Create(3, CPU);
        ZooFamilies.RandomiseNormStatistics(model);
        channels = ChannelGraph.Build(model.Graph);
        foreach (var layer in StripePruning.Layers(model, channels, model.Graph.ParameterLayers.Select(n => n.Name)))
        {
            FilterSkeletons.Attach(model, layer.Conv);
        }
        return model;
    }

    // What training with DTC leaves: skeleton entries either above t or zero, some filters with no stripes, and
    // their BN scale and shift zero.
    private static void TrainedLike(GraphModule model, ChannelGraph channels, double t)
    {
        var layers = StripePruning.Layers(model, channels, FilterSkeletons.All(model).Keys);
        using var noGrad = no_grad();
        var random = new Random(11);
        foreach (var layer in layers)
        {
            var skeleton = FilterSkeletons.All(model)[layer.Conv];
            var values = skeleton.data<float>().ToArray().Select(_ => random.NextDouble() < 0.4 ? 0f : (float)(t + random.NextDouble())).ToArray();
            int filters = (int)skeleton.shape[0], perFilter = values.Length / filters;
            for (int o = 0; o < filters; o += 3)
            {
                Array.Fill(values, 0f, o * perFilter, perFilter);
            }
            skeleton.copy_(tensor(values).reshape(skeleton.shape));
            using var alive = skeleton.ne(0).flatten(1).any(1);
            foreach (string norm in layer.Norms)
            {
                model.Layer(norm).get_parameter("weight")!.mul_(alive);
                model.Layer(norm).get_parameter("bias")!.mul_(alive);
            }
        }
    }

    [Fact]
    public void Finalise_ThenCompact_GivesTheOutputsOfTheTrainedSkeletonModel()
    {
        using var model = Vgg(out var channels);
        TrainedLike(model, channels, 0.01);
        model.eval();
        TorchSharp.ModuleExtensionMethods.to(model, float64);
        using var input = randn(2, 3, 32, 32, generator: new Generator(5), dtype: float64);
        using var before = model.call(input);

        var (plan, layers) = StripePruning.Finalise(model, channels, 0.01, floor: 1);
        using var folded = model.call(input);
        // Compaction copies into a float32 module: compare it with the folded model rounded the same way, in float64.
        TorchSharp.ModuleExtensionMethods.to(model, float32);
        using var compact = ChannelSurgery.Compact(model, plan);
        TorchSharp.ModuleExtensionMethods.to(model, float64);
        TorchSharp.ModuleExtensionMethods.to(compact, float64);
        compact.eval();
        using var rounded = model.call(input);
        using var after = compact.call(input);

        TensorAssert.AllClose(before, folded, 1e-12);
        TensorAssert.AllClose(rounded, after, 1e-12);
        Assert.All(FilterSkeletons.All(model).Values, s => Assert.True(s.eq(1).all().item<bool>()));
        // Every third filter was emptied, and its channel is gone.
        Assert.All(layers, l => Assert.Equal(l.Filters - ((l.Filters + 2) / 3), l.FiltersKept));
        Assert.True(compact.parameters().Sum(p => p.numel()) < model.parameters().Sum(p => p.numel()) - FilterSkeletons.All(model).Values.Sum(s => s.numel()));
    }

    [Fact]
    public void Finalise_StripesAtOrBelowTheFixedThreshold_AreDropped()
    {
        using var model = Vgg(out var channels);
        var skeleton = FilterSkeletons.Of(model, "features.1.conv")!;
        using (var noGrad = no_grad())
        {
            skeleton.fill_(1);
            skeleton[0, 0, 0] = tensor(0.01f);
            skeleton[0, 1, 1] = tensor(-0.5f);
            skeleton[1] = tensor(0.005f);
        }
        using var original = model.Layer("features.1.conv").get_parameter("weight")!.detach().clone();

        var (plan, layers) = StripePruning.Finalise(model, channels, 0.01, floor: 1);

        var weight = model.Layer("features.1.conv").get_parameter("weight")!;
        Assert.True(weight[0, .., 0, 0].eq(0).all().item<bool>());
        TensorAssert.AllClose(original[0, .., 1, 1] * -0.5, weight[0, .., 1, 1], 1e-7);
        Assert.True(weight[1].eq(0).all().item<bool>());
        var record = layers.Single(l => l.Layer == "features.1.conv");
        Assert.Equal((record.Filters - 1, record.Stripes - 1 - 9), (record.FiltersKept, record.StripesKept));
        var group = channels.Groups.Single(g => g.Producers.Contains("features.1.conv"));
        Assert.False(plan.Keep[group.Id][1]);
    }

    [Theory]
    [InlineData(DtcFinal.Fixed)]
    [InlineData(DtcFinal.PerFilter)]
    public void Finalise_PerFilterRule_KeepsAStrongFiltersWeakStripe_AndDropsAWeakFilter_TheFixedRuleTheOpposite(DtcFinal rule)
    {
        using var model = Vgg(out var channels);
        var skeleton = FilterSkeletons.Of(model, "features.1.conv")!;
        using (var noGrad = no_grad())
        {
            skeleton.fill_(1);
            skeleton[0] = tensor(3f);              // a strong filter: T_0 = t mean(r) / r_0, about t / 3
            skeleton[0, 0, 0] = tensor(0.008f);     // below t, above T_0
            skeleton[1] = tensor(0.02f);            // a weak filter: every stripe above t, far below T_1
        }

        StripePruning.Finalise(model, channels, 0.01, floor: 1, rule);

        var weight = model.Layer("features.1.conv").get_parameter("weight")!;
        bool weakStripeKept = weight[0, .., 0, 0].ne(0).any().item<bool>();
        bool weakFilterKept = weight[1].ne(0).any().item<bool>();
        Assert.Equal(rule == DtcFinal.PerFilter, weakStripeKept);
        Assert.Equal(rule == DtcFinal.Fixed, weakFilterKept);
    }

    [Fact]
    public void Layers_ResNet_MasksOnlyTheBnOfEachBlocksFirstConvAndSkipsOneByOnes()
    {
        var card = new ModelCard("resnet20", new ImageShape(3, 32, 32), 10, new ModelOptions());
        using var model = card.Create(1, CPU);
        var channels = ChannelGraph.Build(model.Graph);

        var layers = StripePruning.Layers(model, channels, model.Graph.ParameterLayers.Select(n => n.Name));

        Assert.Equal(19, layers.Count);
        Assert.DoesNotContain(layers, l => l.Conv.Contains("downsample", StringComparison.Ordinal));
        Assert.Equal(["layer2.0.bn1"], layers.Single(l => l.Conv == "layer2.0.conv1").Norms);
        Assert.Empty(layers.Single(l => l.Conv == "layer2.0.conv2").Norms);
        Assert.Empty(layers.Single(l => l.Conv == "conv1").Norms);
    }
}
