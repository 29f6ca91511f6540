using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Shear.Data;
using Shear.Export.Onnx;

namespace Shear.Experiments.Benchmarks;

/// <summary>An exported model in an ONNX Runtime session, fed a fixed random batch: what <c>bench infer</c> and the
/// latency table both time.</summary>
internal sealed class OnnxModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ImageShape _input;
    private List<NamedOnnxValue> _inputs = [];

    /// <summary>Opens <paramref name="path"/> with <paramref name="threads"/> intra-op threads.</summary>
    public OnnxModelRunner(string path, ImageShape input, int threads)
    {
        _input = input;
        using var settings = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        // Spinning worker threads would keep cores busy while another runtime's blocks run between ONNX Runtime's.
        settings.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(path, settings);
    }

    /// <summary>Makes the seeded input batch of <paramref name="batch"/> images.</summary>
    public void Prepare(int batch)
    {
        var random = new Random(7);
        var data = new DenseTensor<float>([batch, _input.Channels, _input.Height, _input.Width]);
        for (int i = 0; i < data.Length; i++)
        {
            data.SetValue(i, (float)((random.NextDouble() * 2) - 1));
        }
        _inputs = [NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, data)];
    }

    /// <summary>One forward pass of the prepared batch.</summary>
    public void Forward()
    {
        using var results = _session.Run(_inputs);
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>Times blocks of calls rather than single calls, so that short passes are not measured against the
/// clock's resolution.</summary>
internal static class BlockTimer
{
    /// <summary>Milliseconds per call of <paramref name="forward"/>, called until at least <paramref name="seconds"/>
    /// have passed.</summary>
    public static double Milliseconds(Action forward, double seconds)
    {
        int calls = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            forward();
            calls++;
        }
        while (clock.Elapsed.TotalSeconds < seconds);
        return clock.Elapsed.TotalMilliseconds / calls;
    }
}
