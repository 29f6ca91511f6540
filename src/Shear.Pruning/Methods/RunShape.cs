using Shear.Training;

namespace Shear.Pruning.Methods;

/// <summary>What a request is checked against besides itself (<see cref="PruningMethodInfo.Validate"/>): facts
/// about the run that the request does not hold. A fact that is not known yet is null, and the checks that need it
/// wait for a caller that knows it: the CLI knows <c>--from</c> before the data loads, a run knows both.</summary>
public sealed record RunShape
{
    /// <summary>Nothing known beyond the request.</summary>
    public static RunShape Unknown { get; } = new();

    /// <summary>Whether the model starts trained (<c>--from</c>, or a sweep's dense run), so that a gradual
    /// method's schedule spans the F fine-tune epochs instead of its own E.</summary>
    public bool? FromTrained { get; init; }

    /// <summary>Samples in the training set, which set the optimizer steps of an epoch.</summary>
    public int? TrainingSamples { get; init; }

    /// <summary>Optimizer steps per epoch of <paramref name="training"/> (the last batch may be short), or null
    /// before the data is known.</summary>
    public long? StepsPerEpoch(TrainingOptions training) =>
        TrainingSamples is int n ? Data.BatchSource.BatchCount(n, training.BatchSize) : null;
}
