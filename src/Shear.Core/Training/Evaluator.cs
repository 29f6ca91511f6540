using Shear.Data;
using static TorchSharp.torch;

namespace Shear.Training;

/// <summary>Accuracy and loss of a model on a dataset.</summary>
/// <param name="Top1">Top-1 accuracy in [0, 1].</param>
/// <param name="Top5">Top-5 accuracy in [0, 1] when the task has more than 5 classes, else null.</param>
/// <param name="Loss">Mean cross-entropy.</param>
/// <param name="Count">Samples evaluated.</param>
public sealed record Evaluation(double Top1, double? Top5, double Loss, int Count);

/// <summary>Evaluates a model in eval mode without gradients.</summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="model"/> on every sample of <paramref name="data"/>.</summary>
    /// <remarks>Leaves the model in eval mode; the trainer switches back to train mode itself.</remarks>
    public static Evaluation Evaluate(nn.Module<Tensor, Tensor> model, BatchSource data, int classes, int batchSize = 1000)
    {
        model.eval();
        using var noGrad = no_grad();
        long top1 = 0, top5 = 0;
        double lossSum = 0;
        bool wantTop5 = classes > 5;
        foreach (var (input, labels) in data.Sequential(batchSize))
        {
            using var scope = NewDisposeScope();
            var logits = model.call(input);
            lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
            top1 += logits.argmax(1).eq(labels).sum().item<long>();
            if (wantTop5)
            {
                var (_, best) = logits.topk(5, dim: 1);
                top5 += best.eq(labels.unsqueeze(1)).any(1).sum().item<long>();
            }
        }
        return new Evaluation((double)top1 / data.Count, wantTop5 ? (double)top5 / data.Count : null, lossSum / data.Count, data.Count);
    }
}
