using System.CommandLine;
using System.Text.Json;
using Shear.Cli.Console;
using Shear.Data;
using Shear.Experiments.Inference;
using Shear.Inference;
using Shear.IO;
using Shear.Models;
using Shear.Training;
using Spectre.Console;

namespace Shear.Cli.Commands;

/// <summary><c>shear infer</c>: evaluates a saved model in Shear's own engine (Shear.Inference), the figures
/// <c>shear eval</c> gives from libtorch.</summary>
internal static class InferCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var run = new Argument<string>("run") { Description = "Run folder holding model.json and model.bin (and masks.bin)" };
        var json = new Option<string?>("--json") { Description = "Also write the evaluation as JSON to this file" };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass", DefaultValueFactory = _ => 256 };
        var sparseAbove = new Option<double>("--sparse-above") { Description = "Sparsity from which a layer runs the sparse kernel", DefaultValueFactory = _ => InferenceOptions.DefaultSparseAbove };
        var stripesAbove = new Option<double>("--stripes-above") { Description = "Sparsity from which a stripe-pruned convolution (cdp-dtc) runs the stripe kernel", DefaultValueFactory = _ => InferenceOptions.DefaultStripesAbove };
        var command = new Command("infer", "Evaluate a saved model on the test split in Shear's own engine (sparse kernels for pruned layers, no libtorch in the forward pass).")
            { run, json, batch, sparseAbove, stripesAbove };
        common.AddTo(command, includeModel: false);
        CommandAction.Set(command, result =>
        {
            common.Apply(result);
            int batchSize = result.GetValue(batch) is int b and >= 1 ? b : throw new UsageException($"--batch must be at least 1, got {result.GetValue(batch)}");
            string folder = result.GetValue(run)!;
            var card = ModelCard.ReadCard(folder);
            using var model = InferenceModel.Load(folder, new InferenceOptions
            {
                Threads = result.GetValue(common.Threads), SparseAbove = result.GetValue(sparseAbove), StripesAbove = result.GetValue(stripesAbove),
            });
            using var data = common.LoadData(result);
            CommonOptions.EnsureCompatible(card, data);
            using var test = new BatchSource(data.Test, Normalization.Of(data.Train), TorchSharp.torch.CPU);
            var evaluation = EngineEvaluator.Evaluate(model, test, data.Test.ClassCount, batchSize);
            int sparse = model.Layers.Count(l => l.Sparse), stripes = model.Layers.Count(l => l.Kernel == "blocks");
            AnsiConsole.MarkupLineInterpolated($"{card.Key} on {data.Name} test ({evaluation.Count} images), Shear engine: top-1 [green]{ResultTables.Percent(evaluation.Top1)}[/], loss {evaluation.Loss:F4}; {sparse} of {model.Layers.Count} conv/linear layers sparse ({stripes} as stripes)");
            if (result.GetValue(json) is string path)
            {
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { model = card, data = data.Name, engine = new { model.Options, model.Layers }, evaluation }, MetricsJson.Options));
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
