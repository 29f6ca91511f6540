using System.CommandLine;
using Shear.Cli.Console;
using Shear.Experiments.Config;
using Shear.Experiments.Reports;
using Shear.Experiments.Results;
using Shear.Experiments.Sweeps;

namespace Shear.Cli.Commands;

/// <summary><c>shear demo</c>: the main job on a fresh clone. Runs <c>configs/quickstart.yaml</c> (LeNet-5 on the
/// embedded Fashion-MNIST subset: dense, three methods at two sparsities) and writes its report.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var config = new Option<string>("--config") { Description = "Experiment to run", DefaultValueFactory = _ => Path.Combine(AppContext.BaseDirectory, "configs", "quickstart.yaml") };
        var output = new Option<string>("--out", "-o") { Description = "Results folder", DefaultValueFactory = _ => "runs" };
        var command = new Command("demo", "Train LeNet-5 on the embedded Fashion-MNIST subset, prune it with magnitude, SNIP and Lottery "
            + "Ticket at two sparsities, and write a report (HTML with figures, Markdown, JSON). Finished runs are reused.") { config, output };
        common.AddTo(command, includeModel: false, includeData: false);
        command.Options.Remove(common.Seed);
        CommandAction.Set(command, result =>
        {
            var experiment = ConfigLoader.Load(result.GetValue(config)!);
            var device = common.Apply(result);
            using var data = experiment.LoadData();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var runner = SweepProgress.Show((observer, progress) =>
            {
                var sweep = new SweepRunner(experiment, data, result.GetValue(output)!)
                {
                    Device = device, Observer = observer, Progress = progress, OnStep = progress.StartStep,
                };
                sweep.Run();
                return sweep;
            });
            var records = ResultFiles.Scan(runner.Folder);
            ReportWriter.Write(records, new ReportOptions
            {
                OutputDirectory = Path.Combine(runner.Folder, "report"),
                Title = $"Shear demo: {experiment.Model} on {data.Name}",
            });
            DemoTable.Print(records, clock.Elapsed, Path.Combine(runner.Folder, "report", ReportWriter.IndexFile));
            return ExitCodes.Ok;
        });
        return command;
    }
}
