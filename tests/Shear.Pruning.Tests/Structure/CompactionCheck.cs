using Shear.Graphs;
using Shear.TestKit;
using static TorchSharp.torch;

namespace Shear.Pruning.Structure;

/// <summary>The contract of compaction, checked the same way wherever a plan is made: the compacted model computes
/// what the channel-masked model computes.</summary>
internal static class CompactionCheck
{
    /// <summary>Compacts <paramref name="model"/> (eval mode) by <paramref name="plan"/>, zeroes the dropped channels
    /// in <paramref name="model"/> itself, and asserts that both give the same outputs for <paramref name="input"/>;
    /// returns the compacted model (the caller owns it).</summary>
    /// <remarks>In float64, where the two agree to ~1e-18. In float32 they differed by up to ~1e-3 on untrained
    /// models (libtorch's convolutions round differently for other channel counts; keeping every channel gives
    /// exactly 0), which would hide a real error of that size.</remarks>
    public static GraphModule AssertEqualsMaskedModel(GraphModule model, ChannelPlan plan, Tensor input)
    {
        var compact = ChannelSurgery.Compact(model, plan);
        ChannelSurgery.ZeroRemoved(model, plan.Channels, plan.Keep);
        compact.eval();
        TorchSharp.ModuleExtensionMethods.to(model, float64);
        TorchSharp.ModuleExtensionMethods.to(compact, float64);
        using var expected = model.call(input);
        using var actual = compact.call(input);
        TensorAssert.AllClose(expected, actual, 1e-10);
        return compact;
    }
}
