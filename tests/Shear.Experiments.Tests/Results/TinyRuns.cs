using Shear.Data;
using Shear.Experiments.Runs;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.TestKit;
using Shear.Training;
using Xunit;

namespace Shear.Experiments.Results;

/// <summary>
/// Real run folders made once for the results tests (a few seconds): <c>dense</c> (seed 1), <c>magnitude-s1</c> and
/// <c>magnitude-s2</c> (50 %), and <c>sweep/run-a</c> (75 %, seed 1) with a <c>run.json</c> marker giving experiment
/// <see cref="Experiment"/> and id <see cref="SweepId"/>. Tests copy <see cref="Template"/> before changing anything.
/// </summary>
public sealed class TinyRuns : IDisposable
{
    public const string Experiment = "sweep-a";

    public const string SweepId = "3f9c2a71be04d5e6";

    private readonly TempDirectory _template = new();

    public TinyRuns()
    {
        using var data = SyntheticData.Split(train: 64, test: 16);
        var card = new ModelCard("mlp", data.Train.Shape, data.Train.ClassCount, new ModelOptions { Widths = [16] });
        var training = new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 0.05, Seed = 1 };
        new TrainingRun(_template.File("dense"), card, data, training).Execute(resume: false);
        Prune(card, data, "magnitude-s1", new PruningRequest { Sparsity = 0.5, Training = training, FinetuneEpochs = 1 });
        Prune(card, data, "magnitude-s2", new PruningRequest { Sparsity = 0.5, Training = training with { Seed = 2 }, FinetuneEpochs = 1 });
        Prune(card, data, "sweep/run-a", new PruningRequest { Sparsity = 0.75, Training = training, FinetuneEpochs = 1 });
        File.WriteAllText(_template.File("sweep/run-a/run.json"), $$"""{ "experiment": "{{Experiment}}", "id": "{{SweepId}}" }""");
    }

    /// <summary>The folder holding the four runs; do not modify it.</summary>
    public string Template => _template.Path;

    /// <summary>Copies the template (or one of its sub-folders) to <paramref name="destination"/>.</summary>
    public void CopyTo(string destination, string part = "")
    {
        string from = Path.Combine(Template, part);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(destination, part, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }

    public void Dispose() => _template.Dispose();

    private void Prune(ModelCard card, DataSplit data, string folder, PruningRequest request) =>
        new PruningRun(_template.File(folder), card, data, request, PruningMethods.Get("magnitude")).Execute(resume: false);
}

/// <summary>The test classes sharing one <see cref="TinyRuns"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TinyRunsGroup : ICollectionFixture<TinyRuns>
{
    public const string Name = "tiny runs";
}
