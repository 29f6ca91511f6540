using Xunit;

namespace Shear.Pruning.Methods;

/// <summary>The method registry: frozen keys in a fixed order, each wired to its flow, and helpful errors.</summary>
public class PruningMethodsTests
{
    private static readonly string[] _keys = ["random", "magnitude", "gmp", "pmp", "dpp", "l1-filter", "random-channel", "slimming", "screening", "cdp-dtc", "lth", "snip", "grasp", "synflow"];

    [Fact]
    public void ReadBy_ScreeningOfConnections_LeavesTheChannelSettingsUnread()
    {
        var connections = MethodSettings.ReadBy("screening", new MethodOptions()).ToList();
        var channels = MethodSettings.ReadBy("screening", new MethodOptions { Structure = ScreeningStructure.Channel }).ToList();

        Assert.DoesNotContain(ChannelSettings.Multiple, connections);
        Assert.DoesNotContain(ChannelSettings.Floor, connections);
        Assert.Contains(ChannelSettings.Multiple, channels);
        Assert.Equal(MethodSettings.For("screening"), channels);
        Assert.Equal(MethodSettings.For("l1-filter"), MethodSettings.ReadBy("l1-filter", new MethodOptions()));
    }

    [Fact]
    public void All_Keys_AreExactlyTheFrozenListInOrder()
    {
        Assert.Equal(_keys, PruningMethods.All.Select(m => m.Key));
    }

    [Fact]
    public void All_EveryEntry_HasASummaryAndABudget()
    {
        Assert.All(PruningMethods.All, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Summary), m.Key);
            Assert.False(string.IsNullOrWhiteSpace(m.Budget), m.Key);
        });
    }

    [Theory]
    [InlineData("random", typeof(OneShotAfterTraining))]
    [InlineData("magnitude", typeof(OneShotAfterTraining))]
    [InlineData("gmp", typeof(GradualMagnitude))]
    [InlineData("pmp", typeof(ProgressiveMagnitude))]
    [InlineData("dpp", typeof(DeterministicProbabilistic))]
    [InlineData("l1-filter", typeof(FilterPruning))]
    [InlineData("random-channel", typeof(FilterPruning))]
    [InlineData("slimming", typeof(NetworkSlimming))]
    [InlineData("screening", typeof(ScreeningPruning))]
    [InlineData("cdp-dtc", typeof(CdpDtc))]
    [InlineData("lth", typeof(LotteryTicket))]
    [InlineData("snip", typeof(AtInitialisation))]
    [InlineData("grasp", typeof(AtInitialisation))]
    [InlineData("synflow", typeof(AtInitialisation))]
    public void Get_KnownKey_CreatesItsMethod(string key, Type expected)
    {
        var info = PruningMethods.Get(key);

        Assert.Equal(key, info.Key);
        Assert.IsType(expected, info.Create(new PruningRequest()));
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("SNIP")]
    [InlineData("")]
    public void Get_UnknownKey_ThrowsNamingItAndListingEveryKnownKey(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => PruningMethods.Get(key));

        Assert.Contains("--method", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", _keys), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("snip")]
    [InlineData("grasp")]
    [InlineData("synflow")]
    [InlineData("lth")]
    [InlineData("slimming")]
    [InlineData("cdp-dtc")]
    public void CheckStart_ScratchMethodFromATrainedModel_IsRefusedNamingFromAndTheMethod(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => PruningMethods.Get(key).CheckStart("runs/dense"));

        Assert.Contains("--from", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("and cannot start from a trained model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_EveryMethodButTheScratchOnes_AcceptsATrainedModelAndNone()
    {
        string[] scratch = ["slimming", "cdp-dtc", "lth", "snip", "grasp", "synflow"];

        Assert.Equal(scratch, PruningMethods.All.Where(m => m.Start == ModelStart.Scratch).Select(m => m.Key));
        Assert.All(PruningMethods.All.Where(m => m.Start == ModelStart.Scratch), m => Assert.False(string.IsNullOrEmpty(m.ScratchReason), m.Key));
        Assert.All(PruningMethods.All, m => m.CheckStart(null));
        Assert.All(PruningMethods.All.Where(m => !scratch.Contains(m.Key)), m => m.CheckStart("runs/dense"));
        // Sweeps share the dense run exactly with the methods that prune a trained model.
        Assert.Equal(["random", "magnitude", "dpp", "l1-filter", "random-channel", "screening"], PruningMethods.All.Where(m => m.PrunesTrainedModel).Select(m => m.Key));
    }
}
