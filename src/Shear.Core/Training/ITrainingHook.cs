using static TorchSharp.torch;

namespace Shear.Training;

/// <summary>
/// Where methods that act during training plug in (mask enforcement, penalties, gradual pruning). The trainer
/// calls every hook in registration order; default implementations do nothing.
/// </summary>
public interface ITrainingHook
{
    /// <summary>Before the first batch of <paramref name="epoch"/> (0-based).</summary>
    public void OnEpochStart(TrainingContext context, int epoch) { }

    /// <summary>Before the forward pass of each step.</summary>
    public void BeforeForward(TrainingContext context) { }

    /// <summary>After backward, before the optimizer step: gradients may be edited or penalties added.</summary>
    public void AfterBackward(TrainingContext context, Tensor loss) { }

    /// <summary>After the optimizer step.</summary>
    public void AfterOptimizerStep(TrainingContext context) { }

    /// <summary>After evaluation at the end of each epoch.</summary>
    public void OnEpochEnd(TrainingContext context, EpochRecord record) { }
}

/// <summary>What hooks see: the model, the optimizer, and where training stands.</summary>
/// <param name="Model">The model being trained.</param>
/// <param name="Optimizer">Its optimizer.</param>
/// <param name="Options">The recipe.</param>
public sealed record TrainingContext(nn.Module<Tensor, Tensor> Model, optim.Optimizer Optimizer, TrainingOptions Options)
{
    /// <summary>0-based epoch in progress.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Optimizer steps taken since the start of training.</summary>
    public long Step { get; internal set; }
}
