using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Shear.Experiments.Benchmarks;
using Shear.Experiments.Runs;
using Shear.IO;
using Shear.Runtime;

namespace Shear.Cli.Commands;

/// <summary><c>shear bench train --models a,b,c --markdown FILE</c>: each model measured in fresh processes of this
/// same executable (one with the peer, one against the hand-written twin), so that each peak RSS belongs to one
/// model and one runtime; the page is written atomically at the end.</summary>
internal static class TrainingTableRunner
{
    public static void Run(IReadOnlyList<string> models, TrainingBenchmarkOptions template, string[] machine, string? python, string markdown)
    {
        var rows = new List<TrainingTableRow>();
        RunEnvironment? environment = null;
        foreach (string model in models)
        {
            var options = template with { Model = model, HandWritten = false };
            var (figures, captured) = Child(options, [.. machine, .. python is null ? [] : new[] { "--peer", python }]);
            environment ??= captured;
            var twin = template.HandWritten && HandWrittenModels.Keys.Contains(model) ? Child(options, [.. machine, "--handwritten"]).Figures : null;
            rows.Add(new TrainingTableRow(options, figures, twin));
        }
        string command = "shear bench train " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).SkipWhile(a => a != "bench").Skip(2));
        AtomicFile.WriteAllText(markdown, TrainingTable.Markdown(rows, environment!, command));
        System.Console.WriteLine($"wrote {markdown}");
    }

    // One `shear bench train` child for one model; `extra` carries the machine options (threads, device) and the runners.
    private static (IReadOnlyList<RunnerFigures> Figures, RunEnvironment Environment) Child(TrainingBenchmarkOptions options, string[] extra)
    {
        string json = Path.Combine(Path.GetTempPath(), $"shear-bench-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(Environment.ProcessPath!);
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(TrainingTableRunner).Assembly.Location);
        }
        foreach (string argument in (string[])["bench", "train", "--model", options.Model, "--width", Text(options.ModelOptions.Width),
            "--batch", Text(options.Batch), "--steps", Text(options.Steps), "--repeats", Text(options.Repeats), "--warmup-steps", Text(options.WarmupSteps),
            "--rounds", Text(options.Rounds), "--input", $"{options.Input.Channels}x{options.Input.Height}x{options.Input.Width}",
            "--stem", options.ModelOptions.Stem.ToString(), .. Widths(options.ModelOptions), "--json", json, .. extra])
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(json))
            {
                throw new InvalidOperationException($"--models: the benchmark of {options.Model} exited with {process.ExitCode}");
            }
            var document = JsonSerializer.Deserialize<ChildDocument>(File.ReadAllText(json), RunResult.JsonOptions)!;
            return (document.Figures, document.Environment);
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static string[] Widths(Models.ModelOptions model) =>
        model.Widths is null ? [] : ["--widths", string.Join(',', model.Widths.Select(w => Text(w)))];

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record ChildDocument(List<RunnerFigures> Figures, RunEnvironment Environment);
}
