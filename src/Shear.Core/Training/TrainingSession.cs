using Shear.Data;
using Shear.Graphs;
using static TorchSharp.torch;

namespace Shear.Training;

/// <summary>What one call to <see cref="Trainer.Train"/> works on and where it writes.</summary>
public sealed record TrainingSession
{
    /// <summary>The model to train, already on <see cref="Device"/>.</summary>
    public required GraphModule Model { get; init; }

    /// <summary>Training and test data.</summary>
    public required DataSplit Data { get; init; }

    /// <summary>Where tensors live.</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>Checkpoint file written after every epoch; null disables checkpoints (and resuming).</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>JSON-lines file with one <see cref="EpochRecord"/> per line; null writes none.</summary>
    public string? MetricsPath { get; init; }

    /// <summary>Continue from <see cref="CheckpointPath"/> when it exists.</summary>
    public bool Resume { get; init; }

    /// <summary>Hooks called during training, in order.</summary>
    public IReadOnlyList<ITrainingHook> Hooks { get; init; } = [];

    /// <summary>Progress receiver; null for none.</summary>
    public ITrainingObserver? Observer { get; init; }
}

/// <summary>What a finished run produced.</summary>
/// <param name="History">One record per epoch, including epochs run before a resume.</param>
/// <param name="ResumedAtEpoch">0-based epoch training resumed at, or null for a fresh run.</param>
public sealed record TrainingResult(IReadOnlyList<EpochRecord> History, int? ResumedAtEpoch)
{
    /// <summary>The last epoch's record.</summary>
    public EpochRecord Final => History[^1];
}
