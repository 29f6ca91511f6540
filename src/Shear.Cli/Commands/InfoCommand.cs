using System.CommandLine;
using System.Text.Json;
using Shear.Cli.Console;
using Shear.Data;
using Shear.IO;
using Shear.Metrics;
using Shear.Models;

namespace Shear.Cli.Commands;

/// <summary><c>shear info</c>: the layer table of a zoo model for a data set's image shape and classes.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var input = new Option<string?>("--input") { Description = "Image shape CxHxW instead of reading --data, e.g. 3x32x32" };
        var classes = new Option<int>("--classes") { Description = "Class count with --input", DefaultValueFactory = _ => 10 };
        var json = new Option<string?>("--json") { Description = "Also write the table as JSON to this file" };
        var command = new Command("info", "Print a model's layers with output shapes, parameters and MACs.") { input, classes, json };
        common.AddTo(command);
        CommandAction.Set(command, result =>
        {
            var (shape, classCount, dataName) = Shape(result, result.GetValue(input), result.GetValue(classes), common);
            var graph = ModelZoo.Build(result.GetValue(common.Model)!, shape, classCount, common.ModelOptions(result));
            var layers = ModelStatistics.Layers(graph);
            ResultTables.PrintLayers(layers, $"{graph.Name} for {dataName} ({shape}, {classCount} classes)");
            if (result.GetValue(json) is string path)
            {
                var document = new { model = graph.Name, input = shape, classes = classCount, parameters = layers.Sum(l => l.Parameters), macs = layers.Sum(l => l.Macs), layers };
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(document, Shear.Experiments.Runs.RunResult.JsonOptions));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (ImageShape Shape, int Classes, string Name) Shape(ParseResult result, string? input, int classes, CommonOptions common)
    {
        if (input is null)
        {
            using var data = common.LoadData(result);
            return (data.Train.Shape, data.Train.ClassCount, data.Name);
        }
        var shape = CommonOptions.ParseShape(input);
        if (classes < 1)
        {
            throw new UsageException($"--classes must be at least 1, got {classes}");
        }
        return (shape, classes, "--input");
    }
}
