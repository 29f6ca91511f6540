namespace Shear.Training;

/// <summary>The learning rate as a function of training progress, evaluated before every step.</summary>
public static class LearningRateSchedule
{
    /// <summary>The rate at <paramref name="epochProgress"/> epochs into training (e.g. 2.5 = halfway through the
    /// third epoch).</summary>
    public static double At(TrainingOptions options, double epochProgress)
    {
        if (options.WarmupEpochs > 0 && epochProgress < options.WarmupEpochs)
        {
            // Linear warm-up ends exactly at the base rate; the step at progress 0 uses a small positive rate.
            return options.LearningRate * Math.Max(epochProgress, 1e-3) / options.WarmupEpochs;
        }
        return options.Schedule switch
        {
            LearningRateScheduleKind.Constant => options.LearningRate,
            LearningRateScheduleKind.MultiStep =>
                options.LearningRate * Math.Pow(options.Gamma, options.Milestones.Count(m => epochProgress >= m)),
            LearningRateScheduleKind.Cosine => Cosine(options, epochProgress),
        };
    }

    private static double Cosine(TrainingOptions options, double epochProgress)
    {
        double span = options.Epochs - options.WarmupEpochs;
        double t = span <= 0 ? 1 : Math.Clamp((epochProgress - options.WarmupEpochs) / span, 0, 1);
        return 0.5 * options.LearningRate * (1 + Math.Cos(Math.PI * t));
    }
}
