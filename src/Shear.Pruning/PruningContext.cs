using Shear.Data;
using Shear.Graphs;
using Shear.Masks;
using Shear.Runtime;
using static TorchSharp.torch;

namespace Shear.Pruning;

/// <summary>What an importance criterion may look at: the model, its prunable weights, training batches and a
/// seeded random source.</summary>
/// <param name="Model">The model (its weights are read, never changed by scoring).</param>
/// <param name="Parameters">The prunable weights, in mask order.</param>
/// <param name="Training">The training set, normalised, for data-dependent criteria.</param>
/// <param name="Random">Seeded streams (derive one per purpose).</param>
public sealed record PruningContext(GraphModule Model, IReadOnlyList<PrunableParameter> Parameters, BatchSource Training,
    RandomSource Random)
{
    /// <summary>Labels of the training set (for class-balanced sampling).</summary>
    public required Tensor TrainingLabels { get; init; }

    /// <summary>Number of classes.</summary>
    public required int Classes { get; init; }

    /// <summary>A seeded random batch of <paramref name="size"/> training samples; created in the caller's scope.</summary>
    public (Tensor Input, Tensor Labels) RandomBatch(int size, string purpose)
    {
        using var generator = Random.Generator(purpose, 0);
        var indices = randperm(Training.Count, generator: generator).narrow(0, 0, Math.Min(size, Training.Count));
        return Training.Take(indices);
    }

    /// <summary>A seeded batch with <paramref name="perClass"/> samples of every class (fewer where a class is
    /// smaller), ordered by class; created in the caller's scope.</summary>
    public (Tensor Input, Tensor Labels) ClassBalancedBatch(int perClass, string purpose)
    {
        using var generator = Random.Generator(purpose, 0);
        var order = randperm(Training.Count, generator: generator);
        var labels = TrainingLabels.cpu().index_select(0, order);
        var picked = new List<Tensor>();
        for (int c = 0; c < Classes; c++)
        {
            var ofClass = order.masked_select(labels.eq(c));
            picked.Add(ofClass.narrow(0, 0, Math.Min(perClass, ofClass.shape[0])));
        }
        return Training.Take(cat(picked));
    }
}
