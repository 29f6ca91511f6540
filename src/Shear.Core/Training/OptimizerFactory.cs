using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shear.Training;

/// <summary>Creates the optimizer a recipe names and sets its learning rate.</summary>
public static class OptimizerFactory
{
    /// <summary>A new optimizer over <paramref name="parameters"/>; the caller owns and disposes it.</summary>
    public static optim.Optimizer Create(TrainingOptions options, IEnumerable<Parameter> parameters) => options.Optimizer switch
    {
        OptimizerKind.Sgd => optim.SGD(parameters, options.LearningRate, momentum: options.Momentum,
            weight_decay: options.WeightDecay, nesterov: options.Nesterov),
        OptimizerKind.Adam => optim.Adam(parameters, options.LearningRate, weight_decay: options.WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay),
    };

    /// <summary>Sets every parameter group's learning rate to <paramref name="rate"/>.</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }
}
