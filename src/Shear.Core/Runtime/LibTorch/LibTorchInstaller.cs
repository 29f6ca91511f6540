using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Shear.Runtime.LibTorch;

/// <summary>What <see cref="LibTorchInstaller"/> fetches, from where, and where it keeps its work.</summary>
/// <param name="Flavour">The libtorch to fetch.</param>
/// <param name="Version">Its version (the one TorchSharp's glue needs).</param>
/// <param name="ExtraSources">Package sources added to the user's configured ones (folders or feed URLs).</param>
/// <param name="ConfigFile">A NuGet.Config to use instead of the user's, when given.</param>
/// <param name="WorkFolder">Where the generated project lives (and, for fragmented packages, the joined files).</param>
/// <param name="RecordFile">Where the choice is recorded.</param>
public sealed record LibTorchInstallOptions(
    LibTorchFlavour Flavour, string Version, IReadOnlyList<string> ExtraSources, string? ConfigFile, string WorkFolder, string RecordFile)
{
    /// <summary>The defaults for <paramref name="flavour"/>: this Shear's libtorch version, the per-user folders.</summary>
    public static LibTorchInstallOptions For(LibTorchFlavour flavour) => new(
        flavour, LibTorchFlavours.Version, [], null,
        Path.Combine(LibTorchSetupRecord.ShearHome(), "setup", $"{flavour.Name}-{flavour.Rid}-{LibTorchFlavours.Version}"),
        LibTorchSetupRecord.DefaultFile());

    /// <summary>A packages folder to restore into instead of the user's global one (tests; shared machines).</summary>
    public string? PackagesFolder { get; init; }
}

/// <summary>
/// Obtains libtorch the way any .NET project gets a package: it writes a one-line project that references
/// TorchSharp's libtorch package and has <c>dotnet restore</c> fetch it, so the user's NuGet.Config, feeds,
/// credentials and proxy settings all apply. The files stay in the NuGet global packages folder (restored once,
/// shared with every project); fragmented CUDA packages are built, so their own targets join the fragments.
/// Then it checks the package against NuGet's recorded SHA-512, checks every library, and records the choice.
/// </summary>
public static class LibTorchInstaller
{
    /// <summary>Fetches, verifies and records <paramref name="options"/>' flavour.</summary>
    /// <param name="options">What to fetch.</param>
    /// <param name="progress">Receives a line now and then: the step, and the bytes on disk so far while fetching.</param>
    /// <exception cref="LibTorchNotFoundException">The restore failed or the files did not verify; the message says which and shows NuGet's own words.</exception>
    public static LibTorchSetupRecord Install(LibTorchInstallOptions options, IProgress<string> progress)
    {
        var flavour = options.Flavour;
        Directory.CreateDirectory(options.WorkFolder);
        string project = WriteProject(options);
        string verb = flavour.Fragmented ? "build" : "restore";
        progress.Report($"{verb}: {flavour.PackageId} {options.Version} through NuGet");
        var arguments = new List<string> { verb, project, "--nologo", "-v", "quiet" };
        if (options.PackagesFolder is not null)
        {
            arguments.AddRange(["--packages", Path.GetFullPath(options.PackagesFolder)]);
        }
        if (options.ConfigFile is not null)
        {
            arguments.AddRange(["--configfile", Path.GetFullPath(options.ConfigFile)]);
        }
        if (options.ExtraSources.Count > 0)
        {
            // Added to the configured sources, not replacing them (as --source would).
            arguments.Add($"-p:RestoreAdditionalProjectSources={string.Join("%3B", options.ExtraSources.Select(SourceValue))}");
        }
        RunDotnet(arguments, options, progress);

        string packagesFolder = PackagesFolderOf(options.WorkFolder);
        string versionFolder = Path.Combine(packagesFolder, flavour.PackageId.ToLowerInvariant(), options.Version);
        string folder = flavour.Fragmented ? FindBuiltNatives(options.WorkFolder, flavour) : LibTorchLocator.NativeFolderOfPackage(versionFolder, flavour.Rid);
        progress.Report($"verify: {folder}");
        string verified = flavour.Fragmented ? "fragments joined by the package's build targets" : VerifyPackage(versionFolder, flavour, options.Version);
        var missing = LibTorchLocator.MissingFiles(folder, flavour);
        if (missing.Count > 0)
        {
            throw new LibTorchNotFoundException($"{folder}: {string.Join(", ", missing)} missing or empty after the {verb}; run `shear setup` again.");
        }
        var record = new LibTorchSetupRecord(flavour.Name, flavour.Rid, flavour.PackageId, options.Version, folder,
            flavour.LibraryFiles.ToDictionary(f => f, f => new FileInfo(Path.Combine(folder, f)).Length), verified, DateTime.UtcNow);
        record.Write(options.RecordFile);
        return record;
    }

    private static string SourceValue(string source) =>
        Directory.Exists(source) ? Path.GetFullPath(source) : source;

    // A project of its own, sealed off from any Directory.Build.props or central package versions above it.
    private static string WriteProject(LibTorchInstallOptions options)
    {
        File.WriteAllText(Path.Combine(options.WorkFolder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(options.WorkFolder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(options.WorkFolder, "Directory.Packages.props"), "<Project />\n");
        string project = Path.Combine(options.WorkFolder, "libtorch.csproj");
        string tfm = string.Create(CultureInfo.InvariantCulture, $"net{Environment.Version.Major}.0");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Written by `shear setup`: restores (or, for fragmented packages, builds) libtorch, nothing else. -->
              <PropertyGroup>
                <TargetFramework>{tfm}</TargetFramework>
                <EnableDefaultItems>false</EnableDefaultItems>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <OutputPath>out/</OutputPath>
                <AppendTargetFrameworkToOutputPath>false</AppendTargetFrameworkToOutputPath>
                <CreateHardLinksForCopyLocalIfPossible>true</CreateHardLinksForCopyLocalIfPossible>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{options.Flavour.PackageId}" Version="{options.Version}" />
              </ItemGroup>
            </Project>

            """);
        return project;
    }

    private static void RunDotnet(List<string> arguments, LibTorchInstallOptions options, IProgress<string> progress)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = options.WorkFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ForEach(start.ArgumentList.Add);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var output = new StringBuilder();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new LibTorchNotFoundException("could not start `dotnet`");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new LibTorchNotFoundException($"`shear setup` runs `dotnet restore`, and `dotnet` could not be started ({e.Message}). Install the .NET SDK.", e);
        }
        using (process)
        {
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var clock = Stopwatch.StartNew();
            string watched = Path.Combine(options.PackagesFolder ?? LibTorchSearch.NuGetPackagesFolderOfUser(), options.Flavour.PackageId.ToLowerInvariant());
            while (!process.WaitForExit(1000))
            {
                progress.Report(string.Create(CultureInfo.InvariantCulture,
                    $"{string.Join(' ', arguments.Take(1))}: {clock.Elapsed.TotalSeconds:F0} s, {FolderBytes(watched) / 1e6:F0} MB in {watched}"));
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new LibTorchNotFoundException(
                    $"`dotnet {string.Join(' ', arguments)}` failed (exit {process.ExitCode}) fetching {options.Flavour.PackageId} {options.Version}:{Environment.NewLine}{Tail(output.ToString())}");
            }
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Tail(string text) => string.Join(Environment.NewLine, text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).TakeLast(15));

    private static long FolderBytes(string folder)
    {
        try
        {
            return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
        }
        catch (IOException)
        {
            return 0; // files come and go while NuGet extracts
        }
    }

    // The packages folder restore really used (the user's NuGet.Config may move it), from the assets file.
    private static string PackagesFolderOf(string workFolder)
    {
        string assets = Path.Combine(workFolder, "obj", "project.assets.json");
        using var json = JsonDocument.Parse(File.ReadAllText(assets));
        return json.RootElement.GetProperty("packageFolders").EnumerateObject().First().Name;
    }

    // NuGet keeps the package's SHA-512 beside it; recomputing it proves the download on disk is the one NuGet checked.
    private static string VerifyPackage(string versionFolder, LibTorchFlavour flavour, string version)
    {
        string id = flavour.PackageId.ToLowerInvariant();
        string package = Path.Combine(versionFolder, $"{id}.{version}.nupkg");
        string hashFile = package + ".sha512";
        if (!File.Exists(package) || !File.Exists(hashFile))
        {
            throw new LibTorchNotFoundException($"{versionFolder}: the package or its .sha512 is missing after restore; run `shear setup` again.");
        }
        using var stream = File.OpenRead(package);
        string actual = Convert.ToBase64String(SHA512.HashData(stream));
        if (actual != File.ReadAllText(hashFile).Trim())
        {
            throw new LibTorchNotFoundException($"{package}: SHA-512 differs from NuGet's record; delete {versionFolder} and run `shear setup` again.");
        }
        return $"SHA-512 of {Path.GetFileName(package)} matches NuGet's record";
    }

    private static string FindBuiltNatives(string workFolder, LibTorchFlavour flavour)
    {
        string output = Path.Combine(workFolder, "out");
        string torchCpu = NativeFileName.For("torch_cpu", flavour.Rid);
        return Directory.Exists(output)
            ? Directory.EnumerateFiles(output, torchCpu, SearchOption.AllDirectories).Select(Path.GetDirectoryName).FirstOrDefault() ?? output
            : output;
    }
}
