using Shear.Experiments.Benchmarks;
using Shear.Export.Onnx;
using Shear.Graphs;

namespace Shear.Experiments.Latency;

/// <summary>Times one forward pass of a model description in ONNX Runtime (random weights and inputs: latency does
/// not depend on their values): the median of blocks, each running passes for a minimum time.</summary>
public static class OnnxTiming
{
    /// <summary>Median milliseconds of one pass of <paramref name="graph"/> at <paramref name="batch"/> with
    /// <paramref name="threads"/> intra-op threads.</summary>
    public static double Median(ModelGraph graph, int batch, int threads, int blocks = 5, double blockSeconds = 0.03)
    {
        string folder = Directory.CreateTempSubdirectory("shear-latency-").FullName;
        try
        {
            string path = Path.Combine(folder, "model.onnx");
            using (var module = new GraphModule(graph))
            {
                OnnxExporter.Export(module, path);
            }
            using var runner = new OnnxModelRunner(path, graph.Input, threads);
            runner.Prepare(batch);
            runner.Forward(); // warm-up: first-call allocations and kernel selection
            return Throughput.Of([.. Enumerable.Range(0, blocks).Select(_ => BlockTimer.Milliseconds(runner.Forward, blockSeconds))]).Median;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
