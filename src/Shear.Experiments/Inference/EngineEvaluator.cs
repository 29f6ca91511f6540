using Shear.Data;
using Shear.Inference;
using Shear.Training;

namespace Shear.Experiments.Inference;

/// <summary>Evaluates a model in Shear's own engine on a test split, with the same figures as
/// <see cref="Evaluator"/> (top-1, top-5, mean cross-entropy), so the two can be compared number for number.</summary>
public static class EngineEvaluator
{
    /// <summary>Top-1, top-5 (more than five classes) and mean loss of <paramref name="model"/> on
    /// <paramref name="data"/>, <paramref name="batchSize"/> images per pass.</summary>
    public static Evaluation Evaluate(InferenceModel model, BatchSource data, int classes, int batchSize = 256)
    {
        long top1 = 0, top5 = 0;
        double lossSum = 0;
        foreach (var (input, labels) in data.Sequential(batchSize))
        {
            using (input)
            using (labels)
            {
                float[] logits = model.Run(input.cpu().data<float>().ToArray());
                long[] truth = labels.cpu().data<long>().ToArray();
                for (int n = 0; n < truth.Length; n++)
                {
                    var row = new ReadOnlySpan<float>(logits, n * classes, classes);
                    float target = row[(int)truth[n]];
                    int above = 0;
                    foreach (float v in row)
                    {
                        above += v > target ? 1 : 0;
                    }
                    top1 += above == 0 ? 1 : 0;
                    top5 += above < 5 ? 1 : 0;
                    lossSum += LogSumExp(row) - target;
                }
            }
        }
        return new Evaluation((double)top1 / data.Count, classes > 5 ? (double)top5 / data.Count : null, lossSum / data.Count, data.Count);
    }

    private static double LogSumExp(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity;
        foreach (float v in row)
        {
            max = Math.Max(max, v);
        }
        double sum = 0;
        foreach (float v in row)
        {
            sum += Math.Exp(v - max);
        }
        return max + Math.Log(sum);
    }
}
