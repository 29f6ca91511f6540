using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shear.Cli.Console;
using Shear.Experiments.Results;
using Shear.Experiments.Runs;
using Shear.IO;
using Spectre.Console;

namespace Shear.Cli.Commands;

/// <summary><c>shear results list|show|compare|merge</c>: the results store. Every verb refreshes the folder's
/// <c>results.db</c> from its run folders first, so the index is never stale.</summary>
internal static class ResultsCommand
{
    /// <summary>Version of the JSON documents the verbs write.</summary>
    private const int JsonSchema = 1;

    public static Command Create()
    {
        var results = new Command("results", "Index, list, show, compare and merge finished runs (results.db in the results folder).");
        results.Add(CreateList());
        results.Add(CreateShow());
        results.Add(CreateCompare());
        results.Add(CreateMerge());
        return results;
    }

    private static Argument<string> FolderArgument() =>
        new("results") { Description = "Results folder: every result.json under it is a run" };

    private static Command CreateList()
    {
        var folder = FolderArgument();
        var filters = new RunFilterOptions();
        var json = new Option<string?>("--json") { Description = "Also write the matching runs as JSON to this file" };
        var command = new Command("list", "One line per run, ordered by path.") { folder, json };
        filters.AddTo(command);
        CommandAction.Set(command, result =>
        {
            var index = ResultsIndex.Refresh(result.GetValue(folder)!);
            var runs = index.List(filters.Parse(result));
            ResultsTables.PrintRuns(runs, index.Root);
            if (result.GetValue(json) is string path)
            {
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { schema = JsonSchema, results = index.Root, runs }, RunResult.JsonOptions));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var id = new Argument<string>("id") { Description = "Run id, a unique prefix of it, or the run's path inside the results folder" };
        var folder = new Option<string>("--results") { Description = "Results folder holding the run", Required = true };
        var command = new Command("show", "Every figure of one run: scalars, per-layer sparsity, final phase.") { id, folder };
        CommandAction.Set(command, result =>
        {
            var index = ResultsIndex.Refresh(result.GetValue(folder)!);
            ResultsTables.PrintRun(index.Get(result.GetValue(id)!), index.Root);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateCompare()
    {
        var folder = FolderArgument();
        var filters = new RunFilterOptions();
        var json = new Option<string?>("--json") { Description = "Also write the groups as JSON to this file" };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the table as Markdown to this file" };
        var layers = new Option<string?>("--layers-markdown") { Description = "Also write each pruned row's per-layer sparsity as Markdown to this file" };
        var stages = new Option<bool>("--stages") { Description = "Markdown: also top-1 before the pruning step and after it, before fine-tuning" };
        var command = new Command("compare", "Mean ± sample std (n) over seeds per experiment, model, method and target "
            + "sparsity; dense runs stay in as baselines when --method or --sparsity is given.") { folder, json, markdown, layers, stages };
        filters.AddTo(command);
        CommandAction.Set(command, result =>
        {
            var index = ResultsIndex.Refresh(result.GetValue(folder)!);
            var filter = filters.Parse(result);
            var runs = index.List(filter).ToList();
            if (filter.Method is not null || filter.Sparsity is not null)
            {
                var listed = runs.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
                runs.AddRange(index.List(filter with { Method = ResultRecord.Dense, Sparsity = null }).Where(b => !listed.Contains(b.Path)));
            }
            var rows = ResultsSummary.Aggregate(runs);
            ResultsTables.PrintSummary(rows, index.Root);
            if (result.GetValue(json) is string jsonPath)
            {
                AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(new { schema = JsonSchema, results = index.Root, groups = rows }, RunResult.JsonOptions));
            }
            if (result.GetValue(markdown) is string markdownPath)
            {
                AtomicFile.WriteAllText(markdownPath, ResultsSummary.ToMarkdown(rows, result.GetValue(stages)));
            }
            if (result.GetValue(layers) is string layersPath)
            {
                AtomicFile.WriteAllText(layersPath, ResultsSummary.LayersToMarkdown(rows));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateMerge()
    {
        var sources = new Argument<string[]>("sources") { Description = "Results folders to merge", Arity = ArgumentArity.OneOrMore };
        var destination = new Option<string>("--out") { Description = "Folder receiving every run (created if missing)", Required = true };
        var command = new Command("merge", "Copy the runs of several results folders into one; identical runs are skipped, "
            + "differing ones refused.") { sources, destination };
        CommandAction.Set(command, result =>
        {
            var outcome = ResultsMerge.Merge(result.GetValue(sources)!, result.GetValue(destination)!);
            AnsiConsole.MarkupLineInterpolated(
                $"copied {outcome.Copied.Count} runs, skipped {outcome.Skipped.Count} identical; [blue]{outcome.Index.Root}[/] holds {outcome.Index.Count} runs");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The run filters of <c>list</c> and <c>compare</c>, created per command.</summary>
    private sealed class RunFilterOptions
    {
        private readonly Option<string?> _model = new("--model", "-m") { Description = "Only runs of this zoo key" };
        private readonly Option<string?> _method = new("--method") { Description = "Only runs of this method (dense: training runs)" };
        private readonly Option<double?> _sparsity = new("--sparsity") { Description = "Only runs with this target sparsity, e.g. 0.9" };
        private readonly Option<long?> _seed = new("--seed") { Description = "Only runs with this seed" };
        private readonly Option<string?> _experiment = new("--experiment") { Description = "Only runs of this sweep experiment" };

        public void AddTo(Command command)
        {
            command.Add(_model);
            command.Add(_method);
            command.Add(_sparsity);
            command.Add(_seed);
            command.Add(_experiment);
        }

        public RunFilter Parse(ParseResult result)
        {
            double? sparsity = result.GetValue(_sparsity);
            if (sparsity is double s && !(s >= 0 && s < 1))
            {
                throw new UsageException($"--sparsity must be in [0, 1), got {s.ToString(CultureInfo.InvariantCulture)}");
            }
            return new RunFilter
            {
                Model = result.GetValue(_model), Method = result.GetValue(_method), Sparsity = sparsity,
                Seed = result.GetValue(_seed), Experiment = result.GetValue(_experiment),
            };
        }
    }
}
