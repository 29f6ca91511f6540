using System.CommandLine;
using System.Globalization;
using Shear.Runtime;
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
            // A tiny computation proves the libraries work, not only that they were found.
            using var probe = ones(64, 64).matmul(ones(64, 64)).sum();
            var report = TorchRuntime.Initialize();
            var table = new Table().HideHeaders().AddColumns("", "");
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

    private static bool IsTorchLibrary(string path)
    {
        string name = Path.GetFileName(path);
        return name.StartsWith("libtorch", StringComparison.Ordinal) || name.StartsWith("libc10", StringComparison.Ordinal)
            || name.StartsWith("libLibTorchSharp", StringComparison.Ordinal) || name.StartsWith("libgomp", StringComparison.Ordinal)
            || name.StartsWith("libstdc++", StringComparison.Ordinal);
    }
}
