using Shear.Data;
using Shear.Settings;

namespace Shear.Training;

/// <summary>Which optimizer updates the weights.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent, optionally with (Nesterov) momentum.</summary>
    Sgd,

    /// <summary>Adam with L2 weight decay added to the gradient.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay (Loshchilov &amp; Hutter).</summary>
    AdamW,
}

/// <summary>How the learning rate changes over training (after any warm-up).</summary>
public enum LearningRateScheduleKind
{
    /// <summary>Constant.</summary>
    Constant,

    /// <summary>Multiplied by <see cref="TrainingOptions.Gamma"/> at each milestone epoch.</summary>
    MultiStep,

    /// <summary>Cosine annealing from the base rate to zero over the run.</summary>
    Cosine,
}

/// <summary>A training recipe. Defaults are a plain SGD recipe that trains the small zoo models well.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per optimizer step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Samples per evaluation batch (no gradients, so larger is faster).</summary>
    public int EvaluationBatchSize { get; init; } = 1000;

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>Base learning rate.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>SGD momentum (0 turns it off).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Nesterov momentum for SGD.</summary>
    public bool Nesterov { get; init; }

    /// <summary>L2 penalty (decoupled for AdamW).</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Learning-rate schedule.</summary>
    public LearningRateScheduleKind Schedule { get; init; } = LearningRateScheduleKind.Cosine;

    /// <summary>Epochs at which a multi-step schedule multiplies the rate by <see cref="Gamma"/>.</summary>
    public IReadOnlyList<int> Milestones { get; init; } = [];

    /// <summary>Factor applied at each milestone.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Epochs of linear warm-up from 0 to the base rate (fractions allowed).</summary>
    public double WarmupEpochs { get; init; }

    /// <summary>Label smoothing of the cross-entropy loss, in [0, 1).</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Training-time augmentation.</summary>
    public AugmentationOptions Augmentation { get; init; } = AugmentationOptions.None;

    /// <summary>The seed every random stream of the run derives from.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Checks ranges (declared in <see cref="TrainingSettings"/>); one message per problem, naming the
    /// setting as its flag.</summary>
    public IReadOnlyList<string> Validate() => TrainingSettings.All.Problems(this);
}
