using System.Text.Json;
using Shear.Data;
using Shear.Models;
using Shear.Pruning.Structure;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Cli;

/// <summary>`shear bench infer`: latency of a compacted model against its dense original, in Shear and ONNX Runtime
/// (and PyTorch with --peer; CI has no Python, so only a failing peer is tested here).</summary>
public class BenchInferCommandTests
{
    [Fact]
    public void BenchInfer_CompactedAgainstDense_TimesBothRuntimesAndBatchesAndRecordsTheMacs()
    {
        Shear.Runtime.TorchRuntime.Initialize(); // the input models are built in-process
        using var folder = new TempDirectory();
        var card = new ModelCard("lenet5", new ImageShape(1, 28, 28), 10, new ModelOptions());
        using (var model = card.Create(1, CPU))
        {
            card.Save(folder.File("dense"), model);
            var channels = ChannelGraph.Build(model.Graph);
            ChannelSurgery.ZeroRemoved(model, channels, [.. channels.Groups.Select(g => Enumerable.Range(0, g.Channels).Select(c => c % 2 == 0).ToArray())]);
            card.Save(folder.File("masked"), model);
        }
        Assert.Equal(ExitCodes.Ok, ShearProcess.Run(folder.Path, "compact", "masked", "--out", "small").ExitCode);

        var bench = ShearProcess.Run(folder.Path, "bench", "infer", "--model-dir", "small", "--baseline", "dense",
            "--batches", "1,8", "--repeats", "2", "--thread-counts", "1,2", "--json", "bench.json");

        Assert.True(bench.ExitCode == ExitCodes.Ok, bench.Errors);
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("bench.json")));
        var models = json.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["baseline", "model"], models.Select(m => m.GetProperty("label").GetString()));
        long denseMacs = models[0].GetProperty("macs").GetInt64(), smallMacs = models[1].GetProperty("macs").GetInt64();
        Assert.InRange(smallMacs, 1, denseMacs / 2);
        var figures = json.RootElement.GetProperty("figures").EnumerateArray()
            .Select(f => (f.GetProperty("model").GetString(), f.GetProperty("runtime").GetString(), f.GetProperty("threads").GetInt32(), f.GetProperty("batch").GetInt32(), f.GetProperty("medianMs").GetDouble()))
            .ToList();
        // Every model, runtime (libtorch, Shear's engine, ONNX Runtime), thread count and batch once; the headline
        // runtime named in the table and the JSON.
        Assert.Equal(24, figures.Count);
        foreach (string label in new[] { "baseline", "model" })
        {
            foreach (string runtime in new[] { "shear", "shear-sparse", "onnxruntime" })
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    Assert.All(new[] { 1, 8 }, b => Assert.Contains(figures, f => f.Item1 == label && f.Item2 == runtime && f.Item3 == threads && f.Item4 == b && f.Item5 > 0));
                }
            }
        }
        Assert.Equal("onnxruntime", json.RootElement.GetProperty("headline").GetString());
        Assert.Contains("headline runtime: onnxruntime", bench.Output, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // the stand-in Python is a shell script
    public void BenchInfer_PeerPythonFails_KeepsTheOtherRuntimesAndNamesTheProblem()
    {
        Shear.Runtime.TorchRuntime.Initialize(); // the input model is built in-process
        using var folder = new TempDirectory();
        var card = new ModelCard("lenet5", new ImageShape(1, 28, 28), 10, new ModelOptions());
        using (var model = card.Create(1, CPU))
        {
            card.Save(folder.File("dense"), model);
        }
        // The script is looked up relative to the working directory; a stand-in is enough, Python never reads it.
        Directory.CreateDirectory(folder.File("peers"));
        File.WriteAllText(folder.File("peers/bench_infer.py"), "");
        string python = folder.File("fake-python");
        File.WriteAllText(python, "#!/bin/sh\necho 'No module named torch' >&2\nexit 3\n");
        File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var bench = ShearProcess.Run(folder.Path, "bench", "infer", "--model-dir", "dense", "--baseline", "dense",
            "--batches", "1", "--repeats", "1", "--thread-counts", "1", "--peer", python, "--json", "bench.json");

        Assert.True(bench.ExitCode == ExitCodes.Ok, bench.Errors);
        Assert.Contains("pytorch peer: no figures", bench.Output, StringComparison.Ordinal);
        Assert.Contains("No module named torch", bench.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("bench.json")));
        var peer = json.RootElement.GetProperty("peer");
        Assert.Contains("exited with 3: No module named torch", peer.GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, peer.GetProperty("torchVersion").ValueKind);
        var runtimes = json.RootElement.GetProperty("figures").EnumerateArray().Select(f => f.GetProperty("runtime").GetString()).ToList();
        Assert.Equal(["onnxruntime", "onnxruntime", "shear", "shear", "shear-sparse", "shear-sparse"], runtimes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BenchInfer_FolderWithoutAModel_NamesTheFlagAndFails()
    {
        using var folder = new TempDirectory();
        Directory.CreateDirectory(folder.File("empty"));

        var bench = ShearProcess.Run(folder.Path, "bench", "infer", "--model-dir", "empty", "--baseline", "empty");

        Assert.NotEqual(ExitCodes.Ok, bench.ExitCode);
        Assert.Contains("--baseline: empty holds no saved model", bench.Errors, StringComparison.Ordinal);
    }
}
