using Shear.Data;
using Shear.Experiments.Results;
using Shear.Experiments.Runs;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.TestKit;
using Shear.Training;
using Xunit;

namespace Shear.Experiments.Reports;

public class ReportFromRunsTests
{
    [Fact]
    public void Write_ScannedRealRuns_DrawsEveryFigureFromTheirLayersAndCurves()
    {
        using var data = SyntheticData.Split(train: 64, test: 16, shape: new ImageShape(1, 8, 8));
        using var runs = new TempDirectory();
        using var report = new TempDirectory();
        var card = new ModelCard("mlp", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Widths = [16, 8] });
        var training = new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 0.05, Seed = 1 };
        new TrainingRun(runs.File("dense"), card, data, training).Execute(resume: false);
        var request = new PruningRequest { Sparsity = 0.75, Training = training, FinetuneEpochs = 1 };
        new PruningRun(runs.File("magnitude"), card, data, request, PruningMethods.Get("magnitude")).Execute(resume: false);

        var output = ReportWriter.Write(ResultFiles.Scan(runs.Path), new ReportOptions { OutputDirectory = report.Path });

        Assert.Equal(0.75, output.Sparsity);
        Assert.DoesNotContain(output.Warnings, w => w.Contains("no pruning run", StringComparison.Ordinal));
        foreach (string kind in new[] { "accuracy", "macs", "layers", "curves" })
        {
            Assert.True(ReportFiles.IsPng(report.File($"figures/mlp-{kind}.png")), kind);
        }
        // No run was benchmarked, so there is no latency figure.
        Assert.False(File.Exists(report.File("figures/mlp-latency.png")));
        string md = File.ReadAllText(output.Markdown);
        Assert.Contains("| magnitude | 75 % |", md, StringComparison.Ordinal);
        Assert.Contains("TorchSharp ", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_RunsWithABenchJson_AddTheirLatencyToTheRowsAndDrawTopOneAgainstIt()
    {
        using var data = SyntheticData.Split(train: 64, test: 16, shape: new ImageShape(1, 8, 8));
        using var runs = new TempDirectory();
        using var report = new TempDirectory();
        var card = new ModelCard("mlp", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Widths = [16, 8] });
        var training = new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 0.05, Seed = 1 };
        new TrainingRun(runs.File("dense"), card, data, training).Execute(resume: false);
        foreach (double sparsity in new[] { 0.5, 0.75 })
        {
            string folder = runs.File($"magnitude-{sparsity}");
            new PruningRun(folder, card, data, new PruningRequest { Sparsity = sparsity, Training = training, FinetuneEpochs = 0 },
                PruningMethods.Get("magnitude")).Execute(resume: false);
            // What `shear bench infer --json RUN/bench.json` writes, cut to its figures: the 1-thread, largest-batch
            // ONNX Runtime figure of the model is the run's latency.
            File.WriteAllText(Path.Combine(folder, ResultFiles.BenchFile), $$"""
                { "schema": 2, "figures": [
                  { "model": "model", "runtime": "onnxruntime", "threads": 1, "batch": 64, "medianMs": {{sparsity * 10}} },
                  { "model": "model", "runtime": "onnxruntime", "threads": 1, "batch": 1, "medianMs": 0.1 },
                  { "model": "model", "runtime": "onnxruntime", "threads": 2, "batch": 64, "medianMs": 1 },
                  { "model": "model", "runtime": "shear", "threads": 1, "batch": 64, "medianMs": 9 },
                  { "model": "baseline", "runtime": "onnxruntime", "threads": 1, "batch": 64, "medianMs": 20 } ] }
                """);
        }

        var records = ResultFiles.Scan(runs.Path);
        ReportWriter.Write(records, new ReportOptions { OutputDirectory = report.Path });

        var rows = ResultsSummary.Aggregate(records).Where(r => !r.IsDense).ToList();
        Assert.Equal([(5.0, 64), (7.5, 64)], rows.Select(r => (r.LatencyMs!.Mean, r.LatencyBatch!.Value)));
        Assert.Null(ResultsSummary.Aggregate(records).Single(r => r.IsDense).LatencyMs);
        Assert.True(ReportFiles.IsPng(report.File("figures/mlp-latency.png")));
        // The figure's numbers are in report.json too.
        Assert.Contains("\"latencyBatch\": 64", File.ReadAllText(report.File("report.json")), StringComparison.Ordinal);
    }
}
