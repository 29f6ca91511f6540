using Xunit;

namespace Shear.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void At_Cosine_StartsAtBaseAndEndsAtZero()
    {
        var options = new TrainingOptions { Epochs = 10, LearningRate = 0.1, Schedule = LearningRateScheduleKind.Cosine };

        Assert.Equal(0.1, LearningRateSchedule.At(options, 0), 12);
        Assert.Equal(0.05, LearningRateSchedule.At(options, 5), 12);
        Assert.Equal(0.0, LearningRateSchedule.At(options, 10), 12);
    }

    [Fact]
    public void At_MultiStep_MultipliesByGammaAtEachMilestone()
    {
        var options = new TrainingOptions
        {
            Epochs = 30, LearningRate = 0.1, Schedule = LearningRateScheduleKind.MultiStep, Milestones = [10, 20], Gamma = 0.1,
        };

        Assert.Equal(0.1, LearningRateSchedule.At(options, 9.99), 12);
        Assert.Equal(0.01, LearningRateSchedule.At(options, 10), 12);
        Assert.Equal(0.001, LearningRateSchedule.At(options, 25), 12);
    }

    [Fact]
    public void At_Warmup_RisesLinearlyToTheBaseRate()
    {
        var options = new TrainingOptions { Epochs = 10, LearningRate = 0.2, WarmupEpochs = 2, Schedule = LearningRateScheduleKind.Constant };

        Assert.Equal(0.05, LearningRateSchedule.At(options, 0.5), 12);
        Assert.Equal(0.1, LearningRateSchedule.At(options, 1), 12);
        Assert.Equal(0.2, LearningRateSchedule.At(options, 2), 12);
    }
}
