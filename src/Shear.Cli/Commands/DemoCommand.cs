using System.CommandLine;
using Shear.Cli.Console;
using Shear.Data;
using Shear.Experiments.Demo;

namespace Shear.Cli.Commands;

/// <summary><c>shear demo</c>: the main job on a fresh clone (see <see cref="DemoPipeline"/>).</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var output = new Option<string>("--out", "-o") { Description = "Folder for the runs and the summary", DefaultValueFactory = _ => Path.Combine("runs", "demo") };
        var resume = new Option<bool>("--resume") { Description = "Reuse finished runs and continue a killed one" };
        var command = new Command("demo", "Train LeNet-5 on the embedded Fashion-MNIST subset, prune it to 90 % with magnitude, SNIP and "
            + "Lottery Ticket, fine-tune, and compare (summary.md and summary.json).") { output, resume };
        common.AddTo(command, includeModel: false, includeData: false);
        CommandAction.Set(command, result =>
        {
            var device = common.Apply(result);
            using var data = DatasetCatalog.Load("fashion-mnist-subset");
            string folder = result.GetValue(output)!;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var rows = TrainingProgress.Show(observer => new DemoPipeline(folder, data)
            {
                Device = device,
                Seed = result.GetValue(common.Seed),
                Observer = observer,
                OnStep = ((TrainingProgress)observer).StartStep,
            }.Execute(result.GetValue(resume)));
            DemoTable.Print(rows, folder, clock.Elapsed);
            return ExitCodes.Ok;
        });
        return command;
    }
}
