using System.Text.Json;
using System.Text.Json.Nodes;
using Shear.Experiments.Runs;
using Shear.Masks;
using Shear.Pruning.Methods;
using Xunit;

namespace Shear.Experiments.Results;

// fixtures/results/schema1: result.json files written by Shear before the typed target and the executed-MACs rename
// (schema 1), from `shear train` and `shear prune` on the embedded Fashion-MNIST subset (mlp --widths 16, seed 1):
// dense; dpp --dpp-m 8; magnitude --sparsity-of that dpp run; l1-filter at 0.5, compacted.
public class ResultFilesTests
{
    private static readonly string _fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "results", "schema1");

    private static ResultRecord Read(string run) => ResultFiles.Read(Path.Combine(_fixtures, run, "result.json"));

    [Fact]
    public void Read_Schema1Dense_IsTheDenseBaseline()
    {
        var dense = Read("dense");

        Assert.True(dense.IsDense);
        Assert.Equal(SparsityTarget.None, dense.Target);
        Assert.Equal((12704L, 12704L, 12704L), (dense.MacsDense, dense.MacsExecuted, dense.MacsEffective));
        Assert.Equal(0.76, dense.Top1);
    }

    [Fact]
    public void Read_Schema1AutomaticMethod_IsAnAutomaticTargetWithItsVariant()
    {
        var dpp = Read("dpp-m8");

        Assert.Equal(SparsityTargetKind.Automatic, dpp.Target.Kind);
        Assert.Equal(("auto", 0.0), (dpp.TargetLabel, dpp.TargetSparsity));
        Assert.Equal("dpp-m=8", dpp.Variant);
        Assert.Equal("dpp (dpp-m=8)", dpp.MethodLabel);
        Assert.Equal(0.8860988664987406, dpp.Sparsity);
        // Schema 1's sparsity.macsDense is read as the executed MACs; the model was not compacted, so dense = executed.
        Assert.Equal((12704L, 12704L, 1447L), (dpp.MacsDense, dpp.MacsExecuted, dpp.MacsEffective));
        Assert.Equal([("fc1", 0.8863998724489796), ("fc2", 0.8625)], dpp.Layers.Select(l => (l.Layer, l.Sparsity)));
    }

    [Fact]
    public void Read_Schema1MatchedRun_IsMatchedToTheSourceMethodWithItsFraction()
    {
        var matched = Read("mag-as-dpp");

        Assert.Equal(SparsityTarget.MatchedTo("dpp", 0.8860988664987406), matched.Target);
        Assert.Equal("as dpp", matched.TargetLabel);
        Assert.Null(matched.Variant);
        Assert.Equal(1447L, matched.MacsEffective);
    }

    [Fact]
    public void Read_PerLayerRanking_IsItsOwnVariant_AndTheStagesAreRead()
    {
        using var folder = new TestKit.TempDirectory();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_fixtures, "mag-as-dpp", "result.json")))!;
        json["request"]!["selection"] = "layerwise";
        json["request"]!["finetuneEpochs"] = 0;
        json["denseTest"] = JsonNode.Parse("""{ "top1": 0.75, "loss": 0.7, "count": 2000 }""");
        json.AsObject().Remove("prunedTest");
        File.WriteAllText(folder.File("result.json"), json.ToJsonString());

        var layerwise = ResultFiles.Read(folder.File("result.json"));

        Assert.Equal("selection=layerwise", layerwise.Variant);
        Assert.Equal("magnitude (selection=layerwise)", layerwise.MethodLabel);
        Assert.Equal(0.75, layerwise.Top1BeforePruning);
        // No fine-tune epochs: the final model is the pruned one.
        Assert.Equal(layerwise.Top1, layerwise.Top1BeforeFinetune);
        // With fine-tune epochs, the figure evaluated before the first of them.
        Assert.Equal(0.6985, Read("mag-as-dpp").Top1BeforeFinetune);
    }

    [Fact]
    public void Read_FineTuneRate_IsItsOwnVariant_AfterTheMethodSettings()
    {
        using var folder = new TestKit.TempDirectory();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_fixtures, "dpp-m8", "result.json")))!;
        json["request"]!["finetuneLearningRate"] = 0.001;
        File.WriteAllText(folder.File("result.json"), json.ToJsonString());

        // Rows that differ only in their fine-tune rate (a held-out choice of it) must not merge into one.
        Assert.Equal("dpp-m=8, finetune-lr=0.001", ResultFiles.Read(folder.File("result.json")).Variant);
        Assert.Equal("dpp-m=8", Read("dpp-m8").Variant);
    }

    [Fact]
    public void Read_Schema1CompactedRun_KeepsDenseAndExecutedMacsApart()
    {
        var compacted = Read("l1");

        Assert.Equal(SparsityTarget.Fraction(0.5), compacted.Target);
        // Dense: the model before compaction; executed: the smaller model it became.
        Assert.Equal((12704L, 6352L, 6352L), (compacted.MacsDense, compacted.MacsExecuted, compacted.MacsEffective));
        // Parameters the same way, and the data the table states above its rows.
        Assert.True(compacted.Compacted);
        Assert.Equal((12730L, 6370L), (compacted.ParametersDense, compacted.NonZeroParameters));
        Assert.Equal(("fashion-mnist-subset", 10000, 2000), (compacted.Data, compacted.TrainImages, compacted.TestImages));
        var dense = Read("dense");
        Assert.False(dense.Compacted);
        Assert.Equal((12730L, 12730L, 2000), (dense.ParametersDense, dense.NonZeroParameters, dense.TestImages));
        Assert.False(Read("dpp-m8").Compacted);
    }

    [Fact]
    public void Migrate_Schema1_RenamesMacsDenseToMacsExecutedInTheReportAndItsLayers()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_fixtures, "dpp-m8", "result.json")))!.AsObject();

        var result = PruningResult.Migrate(json).Deserialize<PruningResult>(RunResult.JsonOptions)!;

        Assert.Equal(PruningResult.CurrentSchema, result.Schema);
        Assert.Equal(12704L, result.Sparsity.MacsExecuted);
        Assert.Equal([12544L, 160L], result.Sparsity.Layers.Select(l => l.MacsExecuted));
        Assert.Null(json["sparsity"]!["macsDense"]);
    }

    [Fact]
    public void Read_StartedFromARelativeFolder_CountsTheDenseEpochsFromTheSiblingWhereverItIsReadFrom()
    {
        // l1 was pruned with --from dense (1 epoch) and fine-tuned 1 epoch; the tests run far from that folder.
        Assert.False(Directory.Exists(Path.Combine(Environment.CurrentDirectory, "dense")));

        Assert.Equal(1 + 1, Read("l1").Epochs);
    }

    [Fact]
    public void Migrate_BeforeSchema3_RecordsTheChannelMultipleThoseRunsHad()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_fixtures, "l1", "result.json")))!.AsObject();
        Assert.Null(json["request"]!["method"]!["channelMultiple"]);

        var result = PruningResult.Migrate(json).Deserialize<PruningResult>(RunResult.JsonOptions)!;

        Assert.Equal(ChannelSettings.LegacyMultiple, result.Request.Method.ChannelMultiple);
        Assert.Equal(1, ChannelSettings.LegacyMultiple);
    }

    [Fact]
    public void PruningRequest_TargetsRoundTripInTheStoredForm()
    {
        var matched = new PruningRequest { Target = SparsityTarget.MatchedTo("dpp", 0.81) };
        var automatic = new PruningRequest { Target = SparsityTarget.Automatic };

        var matchedJson = JsonSerializer.SerializeToNode(matched, RunResult.JsonOptions)!;
        var automaticJson = JsonSerializer.SerializeToNode(automatic, RunResult.JsonOptions)!;

        // The form result.json and run ids have always had: a number and the matched method, no target object.
        Assert.Equal((0.81, "dpp"), (matchedJson["sparsity"]!.GetValue<double>(), matchedJson["sparsityMatchedTo"]!.GetValue<string>()));
        Assert.Null(matchedJson["target"]);
        Assert.Equal(0, automaticJson["sparsity"]!.GetValue<double>());
        Assert.Equal(matched.Target, matchedJson.Deserialize<PruningRequest>(RunResult.JsonOptions)!.Target);
    }
}
