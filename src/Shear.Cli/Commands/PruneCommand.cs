using System.CommandLine;
using System.Globalization;
using Shear.Cli.Console;
using Shear.Experiments.Runs;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;

namespace Shear.Cli.Commands;

/// <summary><c>shear prune</c>: a method's whole flow (train or load, prune, fine-tune, evaluate) in a run folder.</summary>
internal static class PruneCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var recipe = new RecipeOptions();
        var pruning = new PruningOptions();
        var from = new Option<string?>("--from") { Description = "Run folder of `shear train` to prune instead of training the dense model" };
        var output = new Option<string?>("--out", "-o") { Description = "Run folder (default runs/prune/<model>-<method>-s<sparsity>-seed<seed>)" };
        var resume = new Option<bool>("--resume") { Description = "Continue a killed run from its last checkpoint" };
        var sparsityOf = new Option<string?>("--sparsity-of") { Description = "Prune to the sparsity another pruning run reached (its run folder), e.g. a dpp run" };
        var refreshLatency = new Option<bool>("--refresh-latency") { Description = "With --target-latency-ratio: time every layer afresh and rewrite this machine's latency table (after a runtime or hardware change)" };
        var command = new Command("prune", "Train (or load), prune, fine-tune and evaluate; writes result.json and a table.\n"
            + "Methods: " + string.Join("; ", PruningMethods.All.Select(m => $"{m.Key} ({m.Summary}; trains {m.Budget} epochs)")));
        common.AddTo(command);
        recipe.AddTo(command);
        pruning.AddTo(command);
        command.Add(from);
        command.Add(output);
        command.Add(resume);
        command.Add(sparsityOf);
        command.Add(refreshLatency);
        CommandAction.Set(command, result =>
        {
            if (result.GetValue(from) is not null && recipe.EpochsGiven(result))
            {
                throw new UsageException("--epochs and --from exclude each other: --from replaces dense training (use --finetune-epochs)");
            }
            var device = common.Apply(result);
            var request = pruning.Read(result, recipe.Read(result, result.GetValue(common.Seed)));
            var method = PruningMethods.Get(result.GetValue(pruning.Method)!);
            // Before the data loads: a scratch method given --from fails at once.
            method.CheckStart(result.GetValue(from));
            request = TargetSparsity.Resolve(request, method, pruning.SparsityGiven(result), result.GetValue(sparsityOf));
            // What needs the data (a rewind step against the steps of a round) is checked by the run once it loads.
            if (method.Validate(request, new RunShape { FromTrained = result.GetValue(from) is not null }) is { Count: > 0 } problems)
            {
                throw new UsageException(string.Join("; ", problems));
            }
            if (result.GetValue(refreshLatency) && request.Method.TargetLatencyRatio is null)
            {
                throw new UsageException("--refresh-latency rewrites the latency table of a latency target: give --target-latency-ratio too");
            }
            var model = common.ModelOptions(result);
            using var data = common.LoadData(result);
            // Without --model, --from's own card is used: imported and compacted models have no zoo key to name.
            var card = result.GetValue(from) is string saved && result.GetResult(common.Model) is not { Implicit: false }
                ? ModelCard.ReadCard(saved)
                : new ModelCard(result.GetValue(common.Model)!, data.Train.Shape, data.Train.ClassCount, model);
            CommonOptions.EnsureCompatible(card, data);
            string folder = result.GetValue(output) ?? Path.Combine("runs", "prune",
                string.Create(CultureInfo.InvariantCulture, $"{card.Key}-{method.Key}-{(request.Target.Kind == SparsityTargetKind.Automatic ? "auto" : "s" + request.Sparsity)}-seed{request.Training.Seed}"));
            var outcome = TrainingProgress.Show(observer => new PruningRun(folder, card, data, request, method)
            {
                Device = device,
                From = result.GetValue(from),
                RefreshLatency = result.GetValue(refreshLatency),
                Observer = observer,
                OnStep = observer is TrainingProgress progress ? progress.StartStep : null,
            }.Execute(result.GetValue(resume)));
            PruningTables.Print(outcome, folder);
            return ExitCodes.Ok;
        });
        return command;
    }
}
