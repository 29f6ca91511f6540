using Shear.Graphs;

namespace Shear.Pruning.Latency;

/// <summary>
/// Predicts how long a model's forward pass takes where it is deployed, from its description alone, so that a
/// structured method can search for the channels to keep against a latency target without building and timing
/// every candidate (in the style of NetAdapt's and HALP's lookup tables).
/// </summary>
public interface ILatencyModel
{
    /// <summary>The batch size the predictions are for.</summary>
    public int Batch { get; }

    /// <summary>The intra-op thread count the predictions are for.</summary>
    public int Threads { get; }

    /// <summary>Predicted milliseconds of one forward pass of <paramref name="graph"/>'s convolutions and linear
    /// layers (the layers pruning changes) at <see cref="Batch"/>.</summary>
    public double Milliseconds(ModelGraph graph);
}
