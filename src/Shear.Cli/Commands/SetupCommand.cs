using System.CommandLine;
using Shear.Runtime;
using Shear.Runtime.LibTorch;
using Spectre.Console;

namespace Shear.Cli.Commands;

/// <summary><c>shear setup</c>: fetches libtorch through NuGet, verifies it and records the choice (the tool carries none).</summary>
internal static class SetupCommand
{
    public static Command Create()
    {
        var flavour = new Option<string>("--torch")
        {
            Description = $"libtorch flavour: {string.Join(", ", LibTorchFlavours.All.Select(f => f.Name).Distinct(StringComparer.Ordinal))} (those published for this platform: {string.Join(", ", LibTorchFlavours.NamesFor(LibTorchFlavours.CurrentRid))})",
            DefaultValueFactory = _ => LibTorchFlavours.Default,
        };
        var sources = new Option<string[]>("--source") { Description = "Another package source (folder or feed URL), added to those of your NuGet.Config", AllowMultipleArgumentsPerToken = false };
        var configFile = new Option<string?>("--configfile") { Description = "A NuGet.Config to use instead of your own" };
        var command = new Command("setup", $"Fetch libtorch {LibTorchFlavours.Version} through NuGet (your feeds, credentials and proxy), verify it and record it for every later command.")
        {
            flavour, sources, configFile,
        };
        CommandAction.Set(command, result =>
        {
            var chosen = LibTorchFlavours.Find(result.GetValue(flavour)!, LibTorchFlavours.CurrentRid);
            if (result.GetValue(configFile) is { } config && !File.Exists(config))
            {
                throw new FileNotFoundException($"--configfile: {config} does not exist");
            }
            var options = LibTorchInstallOptions.For(chosen) with { ExtraSources = result.GetValue(sources) ?? [], ConfigFile = result.GetValue(configFile) };
            var record = Install(options);
            var table = new Table().HideHeaders().AddColumns("", "");
            table.AddRow("flavour", $"{record.Flavour} ({record.Rid})");
            table.AddRow("package", $"{record.PackageId} {record.Version}");
            table.AddRow("folder", Markup.Escape(record.Folder));
            table.AddRow("verified", Markup.Escape(record.Verified));
            table.AddRow("recorded in", Markup.Escape(options.RecordFile));
            table.AddRow("check", Check());
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static LibTorchSetupRecord Install(LibTorchInstallOptions options)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Logs get a line every 15 s instead of a spinner.
            var last = DateTime.MinValue;
            return LibTorchInstaller.Install(options, new Reporter(line =>
            {
                if (DateTime.UtcNow - last > TimeSpan.FromSeconds(15) || !line.Contains(" s, ", StringComparison.Ordinal))
                {
                    last = DateTime.UtcNow;
                    System.Console.Error.WriteLine($"shear setup: {line}");
                }
            }));
        }
        return AnsiConsole.Status().Start("setup", context =>
            LibTorchInstaller.Install(options, new Reporter(line => context.Status(Markup.Escape(line)))));
    }

    // Loads what was just set up (unless this process already runs on a libtorch) and multiplies two matrices.
    private static string Check()
    {
        var report = TorchRuntime.Initialize();
        using var probe = TorchSharp.torch.ones(64, 64).matmul(TorchSharp.torch.ones(64, 64)).sum();
        string source = report.Resolution?.Chosen is { } chosen ? $"libtorch from {chosen.SourceName}" : "libtorch";
        return probe.item<float>() == 64f * 64 * 64 ? $"[green]{Markup.Escape(source)} loads; 64x64 matmul OK[/]" : "[red]wrong matmul result[/]";
    }

    private sealed class Reporter(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
