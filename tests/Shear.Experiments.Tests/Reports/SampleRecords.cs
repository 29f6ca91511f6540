using Shear.Experiments.Results;
using Shear.Masks;
using Shear.Runtime;

namespace Shear.Experiments.Reports;

/// <summary>Hand-made results of a small sweep: dense plus two methods at three sparsities, three seeds each.</summary>
internal static class SampleRecords
{
    public static readonly RunEnvironment Environment =
        new("0.1.0+test", "0.107.0.0", 2, "cpu", "Debian GNU/Linux 12 (bookworm)", "X64, 2 logical cores", "Bundled");

    public static readonly double[] Targets = [0.5, 0.8, 0.9];

    public static readonly string[] Methods = ["magnitude", "random"];

    private static readonly string[] _layers = ["fc1", "fc2", "fc3"];

    /// <summary>3 dense runs and 2 methods x 3 targets x 3 seeds of <paramref name="model"/>.</summary>
    public static List<ResultRecord> Sweep(string model = "mlp")
    {
        var records = new List<ResultRecord>();
        for (int seed = 1; seed <= 3; seed++)
        {
            records.Add(Dense(model, seed));
            foreach (string method in Methods)
            {
                records.AddRange(Targets.Select(t => Pruned(model, method, t, seed)));
            }
        }
        return records;
    }

    public static ResultRecord Dense(string model, int seed, double top1 = double.NaN) => new()
    {
        Id = $"{model}-dense-{seed}", Path = $"/runs/{model}/dense/{seed}", Command = "train", Model = model, Data = "synthetic",
        Method = "dense", Seed = seed, Top1 = double.IsNaN(top1) ? 0.90 + 0.01 * seed : top1, MacsDense = 2_000_000,
        MacsEffective = 2_000_000, Epochs = 3, Environment = Environment, Curve = Curve(("train", 3), 0.9),
    };

    public static ResultRecord Pruned(string model, string method, double target, int seed)
    {
        double penalty = method == "random" ? 0.6 : 0.2;
        return new ResultRecord
        {
            Id = $"{model}-{method}-{target}-{seed}", Path = $"/runs/{model}/{method}/{target}/{seed}", Command = "prune",
            Model = model, Data = "synthetic", Method = method, Target = SparsityTarget.Fraction(target), Sparsity = target + 0.0001 * seed,
            Seed = seed, Top1 = 0.91 - penalty * target * target * target + 0.004 * seed, MacsDense = 2_000_000,
            MacsEffective = (long)(2_000_000 * (1 - target)) + 1000 * seed, Epochs = 5, Environment = Environment,
            Layers = [.. _layers.Select((l, i) => new LayerPoint(l, Math.Min(1, target * (1.15 - 0.15 * i))))],
            Curve = Curve(("train", 3), 0.9, ("finetune", 2), 0.88 - penalty * target * target * target),
        };
    }

    private static CurvePoint[] Curve((string Phase, int Epochs) first, double firstEnd) => [.. Points(first.Phase, first.Epochs, 0.4, firstEnd)];

    private static CurvePoint[] Curve((string Phase, int Epochs) first, double firstEnd, (string Phase, int Epochs) second, double secondEnd) =>
        [.. Points(first.Phase, first.Epochs, 0.4, firstEnd), .. Points(second.Phase, second.Epochs, secondEnd - 0.1, secondEnd)];

    private static IEnumerable<CurvePoint> Points(string phase, int epochs, double start, double end) =>
        Enumerable.Range(1, epochs).Select(e => new CurvePoint(phase, e, 1.0 / e, start + (end - start) * e / epochs));
}
