using System.Globalization;
using System.Text;
using System.Text.Json;
using Shear.Data;
using Shear.Experiments.Runs;
using Shear.IO;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Training;
using static TorchSharp.torch;

namespace Shear.Experiments.Demo;

/// <summary>One row of the demo's comparison.</summary>
/// <param name="Run">Run name (and sub-folder).</param>
/// <param name="Sparsity">Counted sparsity.</param>
/// <param name="Top1">Test top-1.</param>
/// <param name="Top5">Test top-5, where defined.</param>
/// <param name="MacsEffective">MACs per image touching non-zero weights.</param>
/// <param name="CompressedBytes">Size as bitmask + non-zeros, deflated.</param>
/// <param name="Epochs">Training epochs the row cost, its dense training included.</param>
public sealed record DemoRow(string Run, double Sparsity, double Top1, double? Top5, long MacsEffective, long CompressedBytes, int Epochs);

/// <summary>
/// The main job: train LeNet-5 on the embedded Fashion-MNIST subset, prune it to 90 % with global magnitude (from
/// the trained model), SNIP (at initialisation) and Lottery Ticket (3 rounds with rewinding to initialisation), and
/// compare. Writes each run's folder, <c>summary.json</c> and <c>summary.md</c>.
/// </summary>
public sealed class DemoPipeline(string folder, DataSplit data)
{
    /// <summary>Dense recipe: about 86 % on the subset.</summary>
    public static TrainingOptions Recipe { get; } = new()
    {
        Epochs = 12,
        BatchSize = 64,
        LearningRate = 0.05,
        Momentum = 0.9,
        WeightDecay = 5e-4,
        Schedule = LearningRateScheduleKind.Cosine,
        WarmupEpochs = 1,
    };

    /// <summary>Target sparsity of every pruned row.</summary>
    public const double Sparsity = 0.9;

    /// <summary>Where tensors live.</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>Seed of every run.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Progress receiver.</summary>
    public ITrainingObserver? Observer { get; init; }

    /// <summary>Called with the name of each run and step as it starts.</summary>
    public Action<string>? OnStep { get; init; }

    /// <summary>Runs every step (finished runs are reused when <paramref name="resume"/>) and writes the summary.</summary>
    public IReadOnlyList<DemoRow> Execute(bool resume)
    {
        var card = new ModelCard("lenet5", data.Train.Shape, data.Train.ClassCount, new ModelOptions());
        var recipe = Recipe with { Seed = Seed };
        OnStep?.Invoke("dense");
        var dense = new TrainingRun(Path.Combine(folder, "dense"), card, data, recipe) { Device = Device, Observer = Observer }.Execute(resume);
        var rows = new List<DemoRow>
        {
            new("dense", 0, dense.Final.TestAccuracy, dense.Final.TestTop5, dense.Macs, 0, recipe.Epochs),
        };
        var magnitude = Prune(card, "magnitude", new PruningRequest { Sparsity = Sparsity, Training = recipe, FinetuneEpochs = 4 }, fromDense: true, resume);
        rows.Add(Row("magnitude + fine-tune", magnitude, recipe.Epochs + magnitude.TotalEpochs));
        var snip = Prune(card, "snip", new PruningRequest { Sparsity = Sparsity, Training = recipe, FinetuneEpochs = 0 }, fromDense: false, resume);
        rows.Add(Row("snip", snip, snip.TotalEpochs));
        var lth = Prune(card, "lth", new PruningRequest
        {
            Sparsity = Sparsity, Training = recipe with { Epochs = 4 }, Method = new MethodOptions { LthRounds = 3 },
        }, fromDense: false, resume);
        rows.Add(Row("lth (3 rounds)", lth, lth.TotalEpochs));
        Write(rows, dense);
        return rows;
    }

    private PruningResult Prune(ModelCard card, string method, PruningRequest request, bool fromDense, bool resume) =>
        new PruningRun(Path.Combine(folder, method), card, data, request, PruningMethods.Get(method))
        {
            Device = Device,
            From = fromDense ? Path.Combine(folder, "dense") : null,
            Observer = Observer,
            OnStep = step => OnStep?.Invoke($"{method}: {step}"),
        }.Execute(resume);

    private static DemoRow Row(string name, PruningResult result, int epochs) =>
        new(name, result.Sparsity.Sparsity, result.Test.Top1, result.Test.Top5, result.Sparsity.MacsEffective, result.Sparsity.CompressedBytes, epochs);

    private void Write(IReadOnlyList<DemoRow> rows, RunResult dense)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.json"), JsonSerializer.Serialize(new
        {
            schema = 1,
            data = dense.Data,
            model = dense.Model,
            environment = dense.Environment,
            rows,
        }, RunResult.JsonOptions));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Shear demo: LeNet-5 on {data.Name}, pruned to {Sparsity:P0}");
        text.AppendLine();
        text.AppendLine("| run | sparsity | top-1 | top-5 | MACs/image (effective) | size (sparse, deflate) | epochs |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            string size = r.CompressedBytes == 0 ? "dense" : $"{r.CompressedBytes / 1024.0:F1} KiB";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Run} | {r.Sparsity * 100:F1} % | {r.Top1 * 100:F2} % | {(r.Top5 is double t5 ? $"{t5 * 100:F2} %" : "-")} | {r.MacsEffective:N0} | {size} | {r.Epochs} |");
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Sparsity counts conv and linear weights (biases and BN excluded). Seed {Seed}; {dense.Environment.Threads} threads on {dense.Environment.Device}; TorchSharp {dense.Environment.TorchSharpVersion}. Each run's folder holds its result.json.");
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.md"), text.ToString());
    }
}
