using System.CommandLine;
using Shear.Export.Onnx;
using Shear.Export.Safetensors;
using Shear.Models;
using Spectre.Console;
using static TorchSharp.torch;

namespace Shear.Cli.Commands;

/// <summary>Interchange formats a run's model can be written to and read from.</summary>
internal enum InterchangeFormat
{
    /// <summary>safetensors under PyTorch's state-dict names.</summary>
    Safetensors,

    /// <summary>An ONNX model (opset 17 on export) for ONNX Runtime and other deployment runtimes.</summary>
    Onnx,
}

/// <summary><c>shear export</c> and <c>shear import</c>: a run folder's model to and from an interchange file.</summary>
internal static class InterchangeCommands
{
    /// <summary>Metadata key holding the model card, so an import needs no flags.</summary>
    private const string CardKey = "shear.model";

    public static Command Export()
    {
        var run = new Argument<string>("run") { Description = "Run folder holding model.json and model.bin" };
        var format = new Option<InterchangeFormat>("--format") { Description = "safetensors | onnx", DefaultValueFactory = _ => InterchangeFormat.Safetensors };
        var output = new Option<string>("--out", "-o") { Description = "File to write", Required = true };
        var command = new Command("export", "Write a run's model (dense, masked or pruned: pruned weights are zeros) to an interchange file.") { run, format, output };
        CommandAction.Set(command, result =>
        {
            string folder = result.GetValue(run)!, path = result.GetValue(output)!;
            var (card, model) = ModelCard.Load(folder, CPU);
            using (model)
            {
                string cardJson = File.ReadAllText(Path.Combine(folder, ModelCard.CardFile));
                var metadata = new Dictionary<string, string> { [CardKey] = cardJson };
                if (result.GetValue(format) == InterchangeFormat.Onnx)
                {
                    model.eval();
                    OnnxExporter.Export(model, path, metadata);
                }
                else
                {
                    ModelSafetensors.Save(model, path, new Dictionary<string, string>(metadata) { ["format"] = "pt" });
                }
            }
            string what = result.GetValue(format) == InterchangeFormat.Onnx ? $"ONNX opset {OnnxExporter.Opset}, input '{OnnxExporter.InputName}' [batch, {card.Input}]" : "safetensors, PyTorch state-dict names";
            AnsiConsole.MarkupLineInterpolated($"{card.Key} ({card.Input}, {card.Classes} classes) written to [blue]{path}[/] ({what})");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Import()
    {
        var file = new Argument<string>("file") { Description = "safetensors file (from shear export, or a PyTorch state dict of a zoo model), or an ONNX model" };
        var format = new Option<InterchangeFormat?>("--format") { Description = "safetensors | onnx (default: onnx for a .onnx file, else safetensors)" };
        var common = new CommonOptions();
        var input = new Option<string?>("--input") { Description = "Image shape CxHxW, when the file does not say (e.g. 1x28x28)" };
        var classes = new Option<int?>("--classes") { Description = "Number of classes, when the file does not say" };
        var output = new Option<string>("--out", "-o") { Description = "Run folder to create (model.json + model.bin), usable by prune --from and eval", Required = true };
        var command = new Command("import", "Read a model into a run folder: a zoo model's weights from safetensors, or any CNN of supported operators from ONNX.")
            { file, format, input, classes, output };
        common.AddTo(command, includeData: false);
        CommandAction.Set(command, result =>
        {
            string path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new UsageException($"{path}: no such file");
            }
            var chosen = result.GetValue(format) ?? (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? InterchangeFormat.Onnx : InterchangeFormat.Safetensors);
            if (chosen == InterchangeFormat.Onnx)
            {
                var (onnxCard, module) = OnnxImporter.Import(path);
                using (module)
                {
                    onnxCard.Save(result.GetValue(output)!, module);
                }
                AnsiConsole.MarkupLineInterpolated($"{onnxCard.Key} ({onnxCard.Input}, {onnxCard.Classes} classes, {module.Graph.Nodes.Count - 1} nodes) imported from ONNX into [blue]{result.GetValue(output)}[/]");
                return ExitCodes.Ok;
            }
            using var stored = SafetensorsFile.Read(path);
            var card = Card(stored, path, result, common, input, classes);
            using var model = card.Create(0, CPU);
            ModelSafetensors.Load(model, stored, path);
            card.Save(result.GetValue(output)!, model);
            AnsiConsole.MarkupLineInterpolated($"{card.Key} ({card.Input}, {card.Classes} classes) imported into [blue]{result.GetValue(output)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The card stored by <c>shear export</c>, else the one the flags describe.</summary>
    private static ModelCard Card(SafetensorsFile stored, string path, ParseResult result, CommonOptions common, Option<string?> input, Option<int?> classes)
    {
        if (stored.Metadata.TryGetValue(CardKey, out string? json))
        {
            return ModelCard.Parse(json) ?? throw new UsageException($"{path}: unreadable {CardKey} metadata");
        }
        string? shape = result.GetValue(input);
        int? count = result.GetValue(classes);
        return shape is null || count is null || result.GetResult(common.Model) is not { Implicit: false }
            ? throw new UsageException($"{path} does not say which model it holds: give --model, --input and --classes")
            : new ModelCard(result.GetValue(common.Model)!, CommonOptions.ParseShape(shape, "--input"), count.Value, common.ModelOptions(result));
    }
}
