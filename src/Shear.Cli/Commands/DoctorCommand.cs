using System.CommandLine;
using System.Globalization;
using Shear.Runtime;
using Shear.Runtime.LibTorch;
using Spectre.Console;
using static TorchSharp.torch;

namespace Shear.Cli.Commands;

/// <summary><c>shear doctor</c>: what native libraries were loaded from where, threads and devices.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Show how libtorch was loaded, from where, with how many threads, on which device.");
        CommandAction.Set(command, _ =>
        {
            if (TorchRuntime.Report is null)
            {
                // No libtorch yet: say where it was looked for and what to run, instead of failing on first use.
                var resolution = LibTorchLocator.Resolve(LibTorchSearch.Current());
                var missing = new Table().HideHeaders().AddColumns("", "");
                AddSources(missing, resolution);
                AnsiConsole.Write(missing);
                global::System.Console.Error.WriteLine($"shear doctor: {resolution.Explain().Split(Environment.NewLine)[0]}");
                return ExitCodes.Environment;
            }
            // A tiny computation proves the libraries work, not only that they were found.
            using var probe = ones(64, 64).matmul(ones(64, 64)).sum();
            var report = TorchRuntime.Initialize();
            var table = new Table().HideHeaders().AddColumns("", "");
            if (report.Resolution is { } found)
            {
                AddSources(table, found);
            }
            table.AddRow("native loading", $"{report.Mode}: {Markup.Escape(report.Reason)}");
            table.AddRow("libstdc++", report.LibStdCxxPath ?? "-");
            table.AddRow("TorchSharp glue", report.PatchedGluePath is null ? report.GluePath ?? "(loaded by TorchSharp)" : $"{report.PatchedGluePath}\n(copy of {report.GluePath})");
            foreach (string path in NativeLibraryLocator.LoadedLibraries().Where(IsTorchLibrary))
            {
                table.AddRow("loaded", Markup.Escape(path));
            }
            var environment = RunEnvironment.Capture(DeviceSelector.Select(DeviceChoice.Auto));
            table.AddRow("TorchSharp", environment.TorchSharpVersion);
            table.AddRow("libtorch", environment.LibTorchVersion ?? "?");
            table.AddRow("CPU zero fill", Markup.Escape(environment.CpuZeroFill ?? "?"));
            table.AddRow("native heap", Markup.Escape(environment.NativeHeap ?? "?"));
            table.AddRow("CPU allocator", Markup.Escape(environment.CpuAllocator ?? "?"));
            table.AddRow("threads", string.Create(CultureInfo.InvariantCulture, $"{get_num_threads()} intra-op of {Environment.ProcessorCount} cores"));
            // What structured pruning aligns compacted layers to, and where its latency table for this machine lives.
            table.AddRow("channel multiple", string.Create(CultureInfo.InvariantCulture, $"{Pruning.Methods.ChannelSettings.DefaultMultiple} (default of --channel-multiple on this CPU)"));
            string latency = Experiments.Latency.OnnxLatencyTable.DefaultFile;
            table.AddRow("latency table", Markup.Escape(latency) + (File.Exists(latency) ? "" : " (not built yet)"));
            table.AddRow("CUDA", cuda.is_available() ? $"available, {cuda.device_count()} device(s)" : "not available");
            table.AddRow("device (auto)", environment.Device);
            table.AddRow("check", probe.item<float>() == 64f * 64 * 64 ? "[green]64x64 matmul OK[/]" : "[red]wrong matmul result[/]");
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    // Every source asked, in order, with what it held; the chosen one first in green.
    private static void AddSources(Table table, LibTorchResolution resolution)
    {
        table.AddRow("libtorch needed", Markup.Escape($"{resolution.Search.Version} for {resolution.Search.Rid}"));
        table.AddRow("libtorch chosen", resolution.Chosen is { } chosen
            ? $"[green]{Markup.Escape(chosen.SourceName)}[/]: {Markup.Escape(chosen.Folder)}"
            : "[red]none[/]: run `shear setup` (see the sources below)");
        foreach (var candidate in resolution.Considered)
        {
            string status = candidate.Status == LibTorchCandidateStatus.Usable ? "[green]usable[/]" : $"[yellow]{candidate.Status}[/]";
            table.AddRow($"  {Markup.Escape(candidate.SourceName)}", $"{status}: {Markup.Escape(candidate.Detail)}\n{Markup.Escape(candidate.Folder)}");
        }
    }

    private static bool IsTorchLibrary(string path)
    {
        string name = Path.GetFileName(path);
        return name.StartsWith("libtorch", StringComparison.Ordinal) || name.StartsWith("libc10", StringComparison.Ordinal)
            || name.StartsWith("libLibTorchSharp", StringComparison.Ordinal) || name.StartsWith("libgomp", StringComparison.Ordinal)
            || name.StartsWith("libstdc++", StringComparison.Ordinal);
    }
}
