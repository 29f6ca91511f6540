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
        string md = File.ReadAllText(output.Markdown);
        Assert.Contains("| magnitude | 75 % |", md, StringComparison.Ordinal);
        Assert.Contains("TorchSharp ", md, StringComparison.Ordinal);
    }
}
