using Shear.Masks;
using Shear.Training;
using Xunit;

namespace Shear.Pruning.Methods;

/// <summary>The method registry: frozen keys in a fixed order, each wired to its flow, and helpful errors.</summary>
public class PruningMethodsTests
{
    private static readonly string[] _keys = ["random", "magnitude", "gmp", "pmp", "dpp", "l1-filter", "slimming", "screening", "cdp-dtc", "lth", "snip", "grasp", "synflow"];

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
    public void Run_AtInitialisationFromATrainedModel_IsRefusedNamingFromAndTheMethod(string key)
    {
        var request = new PruningRequest();
        var method = PruningMethods.Get(key).Create(request);

        var error = Assert.Throws<ArgumentException>(() => method.Run(new TrainedModelRunner(request)));

        Assert.Contains("--from", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A host whose dense model came from <c>--from</c>; any other use fails the test.</summary>
    private sealed class TrainedModelRunner(PruningRequest request) : IPruningRunner
    {
        public PruningContext Context => throw new InvalidOperationException("the method should not score");

        public PruningRequest Request => request;

        public bool StartsFromTrained => true;

        public PhaseRecord TrainDense(IReadOnlyList<ITrainingHook>? hooks = null) => throw Unexpected();

        public PhaseRecord Train(string phase, int epochs, MaskSet? masks, IReadOnlyList<ITrainingHook>? hooks = null,
            bool fineTune = false) =>
            throw Unexpected();

        public MaskSet Prune(string step, Func<MaskSet> compute) => throw Unexpected();

        public void Compact(Structure.ChannelGraph channels, IReadOnlyList<bool[]> keep) => throw Unexpected();

        public void SaveWeights(string name) => throw Unexpected();

        public bool HasWeights(string name) => throw Unexpected();

        public void LoadWeights(string name) => throw Unexpected();

        private static InvalidOperationException Unexpected() => new("the method should stop before training or pruning");
    }
}
