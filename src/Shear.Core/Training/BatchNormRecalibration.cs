using Shear.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shear.Training;

/// <summary>
/// Re-estimates every BatchNorm's running mean and variance from training batches. A compacted model keeps each
/// surviving channel's statistics as measured while the removed channels still fed the layer after it, so its
/// eval-mode accuracy before fine-tuning understates what its weights can do; a few forward passes in train mode
/// (no gradients, no weight changes) measure the statistics anew, as a cumulative average over the batches.
/// </summary>
public static class BatchNormRecalibration
{
    /// <summary>Recalibrates <paramref name="model"/>'s BatchNorms on the first <paramref name="batches"/> batches of
    /// <paramref name="train"/>, in order (deterministic, so a resumed run gets the same statistics); returns how many
    /// BatchNorm layers were recalibrated. The model is left in eval mode.</summary>
    public static int Run(nn.Module<Tensor, Tensor> model, BatchSource train, int batches, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batches);
        var norms = model.modules().OfType<NormBase>().ToList();
        if (norms.Count == 0 || batches == 0)
        {
            return 0;
        }
        var momenta = norms.Select(n => n.momentum).ToList();
        foreach (var norm in norms)
        {
            norm.reset_running_stats();
            norm.momentum = null; // null: a cumulative average over every batch seen since the reset
        }
        try
        {
            model.train();
            using var noGrad = no_grad();
            foreach (var (input, _) in train.Sequential(batchSize).Take(batches))
            {
                using var scope = NewDisposeScope();
                model.call(input);
            }
        }
        finally
        {
            foreach (var (norm, momentum) in norms.Zip(momenta))
            {
                norm.momentum = momentum;
            }
            model.eval();
        }
        return norms.Count;
    }
}
