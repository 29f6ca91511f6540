using Shear.Data;
using Shear.Experiments.Config;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Pruning.Selection;
using Shear.Training;
using Xunit;

namespace Shear.Experiments.Sweeps;

/// <summary>Run ids name run folders on disk: a sweep resumes by finding them. These literals were computed before
/// the sparsity target became a typed value, so any change to how a target is persisted that renames runs fails here.</summary>
public class RunIdStabilityTests
{
    private static readonly ExperimentConfig _config = new()
    {
        Name = "ids",
        Model = "mlp",
        ModelOptions = new ModelOptions { Widths = [16] },
        Training = new TrainingOptions { Epochs = 2, BatchSize = 32 },
        FinetuneEpochs = 1,
        Methods =
        [
            new MethodEntry("magnitude", new MethodOptions(), SelectionKind.Global),
            new MethodEntry("dpp", new MethodOptions(), SelectionKind.Global),
            new MethodEntry("dpp", new MethodOptions { DppM = 8 }, SelectionKind.Global),
        ],
        Sparsities = [0.5, 0.9],
        Seeds = [1],
    };

    [Fact]
    public void Expand_FixedConfig_KeepsItsFolderNamesAndIds()
    {
        var plan = SweepPlan.Expand(_config, "synthetic", new ImageShape(1, 6, 6), 10);

        Assert.Equal(
            [
                "dense-seed1-577ca67744b0", "magnitude-s0.5-seed1-84cae05c2b2d", "magnitude-s0.9-seed1-c5daad5c5e02",
                "dpp-s0-seed1-32eff0bdfb72", "dpp-s0-seed1-c91457b196ac",
            ],
            plan.Select(r => r.Folder));
    }

    [Fact]
    public void Prune_MatchedTarget_KeepsItsId()
    {
        var card = new ModelCard("mlp", new ImageShape(1, 6, 6), 10, new ModelOptions { Widths = [16] });
        var request = new PruningRequest { Target = SparsityTarget.MatchedTo("dpp", 0.8146) };

        var spec = RunSpec.Prune(card, "synthetic", "magnitude", request, null);

        Assert.Equal("magnitude-s0.8146-seed1-9905e4fb7a13", spec.Folder);
    }
}
