using System.CommandLine;
using Shear.Cli.Console;
using Shear.Experiments.Runs;
using Shear.Models;

namespace Shear.Cli.Commands;

/// <summary><c>shear train</c>: trains a zoo model on a data set and saves weights, metrics and a result.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var recipe = new RecipeOptions();
        var output = new Option<string?>("--out", "-o") { Description = "Run folder (default runs/train/<model>-<data>-seed<seed>)" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run folder's last checkpoint" };
        var command = new Command("train", "Train a model and save it with per-epoch metrics and a JSON result.");
        common.AddTo(command);
        recipe.AddTo(command);
        command.Add(output);
        command.Add(resume);
        CommandAction.Set(command, result =>
        {
            var device = common.Apply(result);
            var options = recipe.Read(result, result.GetValue(common.Seed));
            var model = common.ModelOptions(result);
            using var data = common.LoadData(result);
            var card = new ModelCard(result.GetValue(common.Model)!, data.Train.Shape, data.Train.ClassCount, model);
            string folder = result.GetValue(output) ?? Path.Combine("runs", "train", $"{card.Key}-{data.Name}-seed{options.Seed}");
            var outcome = TrainingProgress.Show(observer =>
                new TrainingRun(folder, card, data, options) { Device = device, Observer = observer }.Execute(result.GetValue(resume)));
            ResultTables.PrintTraining(outcome, folder);
            return ExitCodes.Ok;
        });
        return command;
    }
}
