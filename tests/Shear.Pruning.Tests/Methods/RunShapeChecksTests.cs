using Shear.Training;
using Xunit;

namespace Shear.Pruning.Methods;

/// <summary>Method checks against the run (<see cref="RunShape"/>): pmp's start and horizon against the epochs its
/// schedule spans, Lottery Ticket's rewind step against the steps of a round; each made by validation, before the
/// method runs, and waiting while the fact it needs is unknown.</summary>
public class RunShapeChecksTests
{
    private static readonly RunShape _scratch = new() { FromTrained = false };
    private static readonly RunShape _trained = new() { FromTrained = true };

    private static PruningRequest Request(MethodOptions method) => new()
    {
        Training = new TrainingOptions { Epochs = 4, BatchSize = 32 },
        FinetuneEpochs = 6,
        Method = method,
    };

    [Theory]
    [InlineData(0, 5, "--pmp-horizon must be at most the 4 epochs it trains (--epochs), got 5")]
    [InlineData(4, null, "--pmp-start-epoch must be below the 4 epochs it trains (--epochs), got 4")]
    public void Pmp_FromScratch_StartAndHorizonMustLieWithinTheTrainingEpochs(int start, int? horizon, string message)
    {
        var problems = PruningMethods.Get("pmp").Validate(Request(new MethodOptions { PmpStartEpoch = start, PmpHorizon = horizon }), _scratch);

        Assert.Equal([message], problems);
    }

    [Fact]
    public void Pmp_FromATrainedModel_SpansTheFinetuneEpochs()
    {
        var pmp = PruningMethods.Get("pmp");
        var fits = Request(new MethodOptions { PmpHorizon = 6 });
        var beyond = Request(new MethodOptions { PmpHorizon = 7 });

        Assert.Empty(pmp.Validate(fits, _trained));
        Assert.Equal(["--pmp-horizon must be at most the 6 fine-tune epochs it trains after --from (--finetune-epochs), got 7"], pmp.Validate(beyond, _trained));
        // The same horizon is beyond the 4 epochs of a run from scratch.
        Assert.Single(pmp.Validate(fits, _scratch));
    }

    [Fact]
    public void Pmp_StartUnknown_LeavesTheEpochCheckToTheRun()
    {
        Assert.Empty(PruningMethods.Get("pmp").Validate(Request(new MethodOptions { PmpHorizon = 9 })));
    }

    [Fact]
    public void Pmp_TheScheduleRefusesWhatValidationRefuses()
    {
        var request = Request(new MethodOptions { PmpHorizon = 5 });

        var error = Assert.Throws<ArgumentException>(() => ProgressiveMagnitude.Schedule(request, stepsPerEpoch: 3, epochs: 4));

        Assert.Equal("--pmp-horizon must be at most the run's 4 epochs, got 5", error.Message);
    }

    [Theory]
    [InlineData(100, 0, null)]
    [InlineData(100, 16, null)]
    [InlineData(100, 17, "--rewind-step must be at most the 16 optimizer steps of a round (--epochs 4 x 4 batches of --batch 32), got 17")]
    [InlineData(96, 13, "--rewind-step must be at most the 12 optimizer steps of a round (--epochs 4 x 3 batches of --batch 32), got 13")]
    public void Lth_RewindStep_MustComeWithinARound(int samples, long rewind, string? message)
    {
        var request = Request(new MethodOptions { RewindStep = rewind });

        var problems = PruningMethods.Get("lth").Validate(request, new RunShape { FromTrained = false, TrainingSamples = samples });

        // 100 samples in batches of 32 make 4 steps an epoch (the last one short); 96 make 3.
        Assert.Equal(message is null ? [] : [message], problems);
    }

    [Fact]
    public void Lth_DataUnknown_LeavesTheRewindCheckToTheRun()
    {
        var request = Request(new MethodOptions { RewindStep = 1_000_000 });

        Assert.Empty(PruningMethods.Get("lth").Validate(request, _scratch));
    }
}
