using System.IO.Compression;

namespace Shear.TestKit;

/// <summary>
/// A libtorch package as TorchSharp lays one out (a nuspec, the libraries under <c>runtimes/&lt;rid&gt;/native</c>),
/// with a few bytes per library: enough for <c>dotnet restore</c> from a local feed and for Shear's checks, which
/// look at names and sizes, never at the code.
/// </summary>
public static class FakeLibTorchPackage
{
    /// <summary>The CPU libraries of linux-x64.</summary>
    public static readonly string[] LinuxCpuLibraries = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    /// <summary>Writes <c>libtorch-cpu-linux-x64.VERSION.nupkg</c> into <paramref name="feed"/> and returns its path.</summary>
    public static string Write(string feed, string version = "2.10.0")
    {
        Directory.CreateDirectory(feed);
        string path = Path.Combine(feed, $"libtorch-cpu-linux-x64.{version}.nupkg");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Entry(zip, "libtorch-cpu-linux-x64.nuspec", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata><id>libtorch-cpu-linux-x64</id><version>{version}</version><authors>tests</authors><description>fake libtorch</description></metadata>
            </package>
            """);
        foreach (string file in LinuxCpuLibraries)
        {
            Entry(zip, $"runtimes/linux-x64/native/{file}", "ELF " + file);
        }
        return path;
    }

    /// <summary>A NuGet.Config whose only source is <paramref name="feed"/> (no network), written into <paramref name="folder"/>.</summary>
    public static string ConfigFor(string feed, string folder)
    {
        string config = Path.Combine(folder, "NuGet.Config");
        File.WriteAllText(config, $"""<configuration><packageSources><clear /><add key="fake" value="{feed}" /></packageSources></configuration>""");
        return config;
    }

    private static void Entry(ZipArchive zip, string name, string text)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open());
        writer.Write(text);
    }
}
