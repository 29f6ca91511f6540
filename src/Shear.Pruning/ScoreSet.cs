using static TorchSharp.torch;

namespace Shear.Pruning;

/// <summary>One score tensor per prunable weight tensor, same shapes, in the mask order. Higher means keep.</summary>
/// <remarks>The set owns its tensors; dispose it.</remarks>
public sealed class ScoreSet : IDisposable
{
    private readonly Dictionary<string, Tensor> _scores = new(StringComparer.Ordinal);

    /// <summary>Takes over <paramref name="scores"/> in the given order.</summary>
    public ScoreSet(IEnumerable<KeyValuePair<string, Tensor>> scores)
    {
        var names = new List<string>();
        foreach (var (name, score) in scores)
        {
            // Keep a graph-free handle and release the one handed over, which the set now owns.
            var detached = score.detach().DetachFromDisposeScope();
            score.Dispose();
            _scores.Add(name, detached);
            names.Add(name);
        }
        Names = names;
    }

    /// <summary>Parameter names.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The scores of <paramref name="name"/> (owned by the set).</summary>
    public Tensor this[string name] => _scores[name];

    /// <summary>Frees the scores.</summary>
    public void Dispose()
    {
        foreach (var score in _scores.Values)
        {
            score.Dispose();
        }
    }
}
