using Shear.Metrics;
using static TorchSharp.torch;

namespace Shear.Masks;

/// <summary>
/// One boolean mask per prunable weight tensor (<c>true</c> = keep), in a fixed order. Masks are values: pruning
/// produces a new set, normally a subset of the current one.
/// </summary>
/// <remarks>The set owns its tensors; disposing it frees them. Masks live on the device of the weights.</remarks>
public sealed class MaskSet : IDisposable
{
    private readonly Dictionary<string, Tensor> _masks;

    /// <summary>Wraps <paramref name="masks"/> (bool tensors, taken over by the set) in the given order.</summary>
    public MaskSet(IEnumerable<KeyValuePair<string, Tensor>> masks)
    {
        _masks = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var (name, mask) in masks)
        {
            if (mask.dtype != ScalarType.Bool)
            {
                throw new ArgumentException($"mask '{name}' must be bool, got {mask.dtype}");
            }
            _masks.Add(name, mask.DetachFromDisposeScope());
            names.Add(name);
        }
        Names = names;
    }

    /// <summary>Parameter names, in graph order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The mask of <paramref name="name"/> (owned by the set).</summary>
    public Tensor this[string name] => _masks.TryGetValue(name, out var mask) ? mask
        : throw new KeyNotFoundException($"no mask for parameter '{name}' (masked: {string.Join(", ", Names)})");

    /// <summary>A set that keeps every weight of <paramref name="parameters"/>.</summary>
    public static MaskSet Full(IEnumerable<PrunableParameter> parameters) =>
        new(parameters.Select(p => KeyValuePair.Create(p.Name, ones_like(p.Weight, dtype: ScalarType.Bool))));

    /// <summary>Weights counted.</summary>
    public long Total => _masks.Values.Sum(m => m.numel());

    /// <summary>Weights kept.</summary>
    public long Kept => Names.Sum(KeptIn);

    /// <summary>Weights kept in <paramref name="name"/>.</summary>
    public long KeptIn(string name) => this[name].count_nonzero().item<long>();

    /// <summary>Fraction removed, in [0, 1]; the same formula as the weights' <see cref="SparsityReport"/>.</summary>
    public double Sparsity => SparsityReport.Fraction(Kept, Total);

    /// <summary>Parameter names (e.g. <c>fc3.weight</c>, the keys of this set) with no weight left; results name
    /// the layer (<c>fc3</c>), see <see cref="PrunableParameter.Layer"/>.</summary>
    public IReadOnlyList<string> Collapsed => [.. Names.Where(n => KeptIn(n) == 0)];

    /// <summary>Whether every weight this set keeps is also kept by <paramref name="other"/>.</summary>
    public bool IsSubsetOf(MaskSet other) =>
        Names.All(n => !this[n].logical_and(other[n].logical_not()).any().item<bool>());

    /// <summary>An independent copy.</summary>
    public MaskSet Clone() => new(Names.Select(n => KeyValuePair.Create(n, this[n].clone())));

    /// <summary>A copy on <paramref name="device"/>.</summary>
    public MaskSet To(Device device) => new(Names.Select(n => KeyValuePair.Create(n, this[n].to(device))));

    /// <summary>Frees the masks.</summary>
    public void Dispose()
    {
        foreach (var mask in _masks.Values)
        {
            mask.Dispose();
        }
    }
}
