using static TorchSharp.torch;

namespace Shear.Pruning.Screening;

/// <summary>
/// One-way ANOVA F across classes for many units at once, accumulated batch by batch from per-class counts, sums
/// and sums of squares (nothing per sample is kept). Values are shifted by the first batch's unit means before
/// they are squared, so the sums of squares do not cancel catastrophically for units far from zero.
/// </summary>
public sealed class OneWayAnova : IDisposable
{
    // A within-class mean square below this fraction of the total mean square counts as zero (the unit separates
    // the classes exactly); relative so that F stays invariant to rescaling the unit.
    private const double ZeroVarianceTolerance = 1e-12;

    private readonly int _classes;
    private Tensor? _shift;
    private readonly Tensor _counts;
    private readonly Tensor _sums;
    private readonly Tensor _squares;

    /// <summary>An empty accumulator for <paramref name="units"/> units and <paramref name="classes"/> classes.</summary>
    public OneWayAnova(int units, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        (Units, _classes) = (units, classes);
        // The sums outlive whatever dispose scope the first batch arrives in.
        _counts = zeros(classes, dtype: float64).DetachFromDisposeScope();
        _sums = zeros(classes, units, dtype: float64).DetachFromDisposeScope();
        _squares = zeros(classes, units, dtype: float64).DetachFromDisposeScope();
    }

    /// <summary>Units (columns) accumulated.</summary>
    public int Units { get; }

    /// <summary>Adds a batch: <paramref name="values"/> <c>[N, units]</c>, <paramref name="labels"/> <c>[N]</c>
    /// class indices.</summary>
    public void Add(Tensor values, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var x = values.detach().to(float64).cpu();
        if (x.dim() != 2 || x.shape[1] != Units || x.shape[0] != labels.shape[0])
        {
            throw new ArgumentException($"expected [N, {Units}] values and [N] labels, got [{string.Join(", ", x.shape)}] and [{string.Join(", ", labels.shape)}]");
        }
        _shift ??= x.mean([0], keepdim: true).DetachFromDisposeScope();
        x = x - _shift;
        var onehot = nn.functional.one_hot(labels.cpu().to(int64), _classes).to(float64);
        // sum([0]), not sum(0): a literal 0 binds to the ScalarType overload and sums everything into a byte.
        _counts.add_(onehot.sum([0]));
        _sums.add_(onehot.t().mm(x));
        _squares.add_(onehot.t().mm(x * x));
    }

    /// <summary>F per unit: [Σ_c n_c (mean_c − mean)² / (k − 1)] / [Σ_c Σ (z − mean_c)² / (N − k)] over the k classes
    /// seen. A unit whose within-class variance is zero gets 0 when its class means are equal too (a dead or
    /// constant unit) and +∞ when they differ (it separates the classes perfectly).</summary>
    /// <exception cref="InvalidOperationException">Fewer than two classes seen, or no more samples than classes.</exception>
    public double[] F()
    {
        double[] counts = _counts.data<double>().ToArray();
        double[] sums = _sums.data<double>().ToArray();
        double[] squares = _squares.data<double>().ToArray();
        int seen = counts.Count(n => n > 0);
        double total = counts.Sum();
        if (seen < 2 || total <= seen)
        {
            throw new InvalidOperationException($"screening needs at least two classes and more samples than classes; got {seen} classes in {total} samples");
        }
        var f = new double[Units];
        for (int u = 0; u < Units; u++)
        {
            double grand = 0;
            for (int c = 0; c < _classes; c++)
            {
                grand += sums[(c * Units) + u];
            }
            grand /= total;
            double between = 0, within = 0;
            for (int c = 0; c < _classes; c++)
            {
                double n = counts[c];
                if (n == 0)
                {
                    continue;
                }
                double sum = sums[(c * Units) + u], mean = sum / n;
                between += n * (mean - grand) * (mean - grand);
                within += Math.Max(0, squares[(c * Units) + u] - (sum * mean));
            }
            double meanBetween = between / (seen - 1), meanWithin = within / (total - seen), meanTotal = (between + within) / (total - 1);
            f[u] = meanWithin > ZeroVarianceTolerance * meanTotal ? meanBetween / meanWithin
                : meanBetween > ZeroVarianceTolerance * meanTotal && meanTotal > 0 ? double.PositiveInfinity
                : 0;
        }
        return f;
    }

    /// <summary>Frees the sums.</summary>
    public void Dispose()
    {
        _shift?.Dispose();
        _counts.Dispose();
        _sums.Dispose();
        _squares.Dispose();
    }
}
