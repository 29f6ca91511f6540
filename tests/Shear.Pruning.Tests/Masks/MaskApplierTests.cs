using Shear.Data;
using Shear.Graphs;
using Shear.Masks;
using Shear.Models;
using Shear.TestKit;
using Shear.Training;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Masks;

/// <summary>The mask contract during training: a pruned weight stays exactly zero whatever the optimizer does
/// (momentum, weight decay), and the kept weights still learn.</summary>
public class MaskApplierTests
{
    // SGD with momentum 0.9 and weight decay 5e-4: the two ways an optimizer can revive a zeroed weight.
    private static readonly TrainingOptions _recipe = new()
    {
        Epochs = 3,
        BatchSize = 32,
        LearningRate = 0.1,
        Momentum = 0.9,
        WeightDecay = 5e-4,
        Schedule = LearningRateScheduleKind.Constant,
        Seed = 7,
    };

    private static readonly ImageShape _shape = new(1, 8, 8);

    [Fact]
    public void Train_WithApplierHook_PrunedWeightsStayExactlyZeroAndKeptWeightsLearn()
    {
        using var data = SyntheticData.Split(shape: _shape);
        using var model = NewModel();
        var parameters = PrunableScope.Default.Resolve(model);
        using var masks = EveryThirdPruned(parameters);
        var initial = Snapshot(parameters);
        using var applier = new MaskApplier(parameters, masks);

        new Trainer(_recipe).Train(new TrainingSession { Model = model, Data = data, Hooks = [applier] });

        foreach (var p in parameters)
        {
            using var scope = NewDisposeScope();
            var pruned = masks[p.Name].logical_not();
            Assert.Equal(0, p.Weight.masked_select(pruned).count_nonzero().item<long>());
            var kept = masks[p.Name];
            long changed = p.Weight.masked_select(kept).ne(initial[p.Name].masked_select(kept)).count_nonzero().item<long>();
            long keptCount = masks.KeptIn(p.Name);
            Assert.True(changed >= 0.9 * keptCount, $"{p.Name}: only {changed} of {keptCount} kept weights changed");
        }
        DisposeAll(initial);
    }

    [Fact]
    public void Train_ZeroedOnceWithoutHook_MomentumAndDecayReviveThePrunedWeights()
    {
        // The control for the test above: the same run without the hook must fail its invariant.
        using var data = SyntheticData.Split(shape: _shape);
        using var model = NewModel();
        var parameters = PrunableScope.Default.Resolve(model);
        using var masks = EveryThirdPruned(parameters);
        using (var applier = new MaskApplier(parameters, masks))
        {
            applier.ApplyToWeights();
        }
        foreach (var p in parameters)
        {
            Assert.Equal(0, PrunedNonZero(p, masks));
        }

        new Trainer(_recipe).Train(new TrainingSession { Model = model, Data = data });

        foreach (var p in parameters)
        {
            long pruned = p.Count - masks.KeptIn(p.Name);
            Assert.True(PrunedNonZero(p, masks) > pruned / 2, $"{p.Name}: pruned weights stayed zero without the applier");
        }
    }

    [Fact]
    public void ApplyToWeights_KeepsParameterIdentityAndZeroesOnlyPrunedEntries()
    {
        using var model = NewModel();
        var parameters = PrunableScope.Default.Resolve(model);
        using var masks = EveryThirdPruned(parameters);
        var before = Snapshot(parameters);
        var handles = parameters.Select(p => p.Weight.Handle).ToList();
        using var applier = new MaskApplier(parameters, masks);

        applier.ApplyToWeights();

        Assert.Equal(handles, PrunableScope.Default.Resolve(model).Select(p => p.Weight.Handle));
        foreach (var p in parameters)
        {
            using var scope = NewDisposeScope();
            Assert.Equal(0, PrunedNonZero(p, masks));
            var kept = masks[p.Name];
            TensorAssert.BitIdentical(before[p.Name].masked_select(kept), p.Weight.detach().masked_select(kept));
        }
        DisposeAll(before);
    }

    [Fact]
    public void Constructor_MaskShapeDiffersFromWeight_ThrowsNamingTheParameter()
    {
        using var model = NewModel();
        var parameters = PrunableScope.Default.Resolve(model);
        using var masks = new MaskSet([KeyValuePair.Create("fc1.weight", ones([16, 63], dtype: ScalarType.Bool))]);

        var error = Assert.Throws<ArgumentException>(() => new MaskApplier(parameters, masks));

        Assert.Contains("fc1.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[16, 63]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[16, 64]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MaskForUnknownParameter_ThrowsNamingIt()
    {
        using var model = NewModel();
        var parameters = PrunableScope.Default.Resolve(model);
        using var masks = new MaskSet([KeyValuePair.Create("fc9.weight", ones([4, 16], dtype: ScalarType.Bool))]);

        var error = Assert.Throws<ArgumentException>(() => new MaskApplier(parameters, masks));

        Assert.Contains("fc9.weight", error.Message, StringComparison.Ordinal);
    }

    // mlp 64 -> 16 -> 4: fc1.weight [16, 64], fc2.weight [4, 16].
    private static GraphModule NewModel() =>
        new ModelCard("mlp", _shape, 4, new ModelOptions { Widths = [16] }).Create(seed: 3, CPU);

    // Prunes flattened positions 0, 3, 6, … of every tensor: a third of each layer, spread over rows and columns.
    private static MaskSet EveryThirdPruned(IReadOnlyList<PrunableParameter> parameters) =>
        new(parameters.Select(p => KeyValuePair.Create(p.Name, (arange(p.Count) % 3).ne(0).view(p.Weight.shape))));

    private static long PrunedNonZero(PrunableParameter p, MaskSet masks)
    {
        using var scope = NewDisposeScope();
        return p.Weight.detach().masked_select(masks[p.Name].logical_not()).count_nonzero().item<long>();
    }

    private static Dictionary<string, Tensor> Snapshot(IReadOnlyList<PrunableParameter> parameters) =>
        parameters.ToDictionary(p => p.Name, p => p.Weight.detach().clone());

    private static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }
}
