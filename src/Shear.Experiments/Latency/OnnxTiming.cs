using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
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
            using var settings = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
            settings.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            using var session = new InferenceSession(path, settings);
            var input = new DenseTensor<float>([batch, graph.Input.Channels, graph.Input.Height, graph.Input.Width]);
            var random = new Random(7);
            for (int i = 0; i < input.Length; i++)
            {
                input.SetValue(i, (float)((random.NextDouble() * 2) - 1));
            }
            var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, input) };
            using (session.Run(inputs))
            {
                // warm-up: first-call allocations and kernel selection
            }
            var times = new List<double>();
            for (int b = 0; b < blocks; b++)
            {
                int calls = 0;
                var clock = Stopwatch.StartNew();
                do
                {
                    using var results = session.Run(inputs);
                    calls++;
                }
                while (clock.Elapsed.TotalSeconds < blockSeconds);
                times.Add(clock.Elapsed.TotalMilliseconds / calls);
            }
            times.Sort();
            return times[times.Count / 2];
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
