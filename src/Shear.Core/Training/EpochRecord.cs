namespace Shear.Training;

/// <summary>One epoch's figures, written as a JSON line and shown live.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches (weighted by batch size).</param>
/// <param name="TrainAccuracy">Top-1 accuracy on the (augmented) training batches, in [0, 1].</param>
/// <param name="TestAccuracy">Top-1 accuracy on the test set, in [0, 1].</param>
/// <param name="TestTop5">Top-5 accuracy on the test set when there are more than 5 classes, else null.</param>
/// <param name="TestLoss">Mean test loss (no label smoothing).</param>
/// <param name="LearningRate">The rate at the epoch's last step.</param>
/// <param name="ImagesPerSecond">Training throughput (forward, backward, step; evaluation excluded).</param>
/// <param name="Seconds">Wall time of the epoch including evaluation.</param>
/// <param name="EvaluationSeconds">Wall time of the epoch's test pass (null in records written before it was kept).</param>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double TestAccuracy,
    double? TestTop5,
    double TestLoss,
    double LearningRate,
    double ImagesPerSecond,
    double Seconds,
    double? EvaluationSeconds = null)
{
    /// <summary>The test pass's share of the epoch's wall time, in [0, 1]; null when not recorded.</summary>
    public double? EvaluationShare => EvaluationSeconds / Seconds;
}

/// <summary>Receives progress while a run trains (the CLI draws it; tests ignore it).</summary>
public interface ITrainingObserver
{
    /// <summary>An epoch with <paramref name="batches"/> steps starts.</summary>
    public void OnEpochStart(int epoch, int batches) { }

    /// <summary>A step finished with mean loss <paramref name="loss"/>.</summary>
    public void OnBatch(int epoch, int batch, double loss) { }

    /// <summary>An epoch finished and was evaluated.</summary>
    public void OnEpochEnd(EpochRecord record) { }
}

/// <summary>The loss stopped being a finite number.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for 1-based <paramref name="epoch"/> and <paramref name="batch"/>.</summary>
    public TrainingDivergedException(int epoch, int batch, double loss)
        : base($"training diverged: the loss is {loss} at epoch {epoch}, batch {batch}. Lower the learning rate "
            + "or add warm-up.")
    {
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public TrainingDivergedException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with no message.</summary>
    public TrainingDivergedException() { }

    /// <summary>1-based epoch where the loss became non-finite.</summary>
    public int Epoch { get; }

    /// <summary>1-based batch within that epoch.</summary>
    public int Batch { get; }
}
