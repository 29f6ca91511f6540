using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shear.Runtime.LibTorch;

/// <summary>What <c>shear setup</c> chose and verified, read back at every start (<c>libtorch.json</c>).</summary>
/// <param name="Flavour">The flavour name (cpu, cuda-12.8).</param>
/// <param name="Rid">The platform it serves.</param>
/// <param name="PackageId">The NuGet package it came from.</param>
/// <param name="Version">The libtorch version.</param>
/// <param name="Folder">The folder holding the libraries.</param>
/// <param name="FileSizes">Each library's size in bytes when verified: a later difference means the files changed.</param>
/// <param name="Verified">How the download was verified, in words.</param>
/// <param name="CreatedUtc">When setup finished.</param>
public sealed record LibTorchSetupRecord(
    string Flavour, string Rid, string PackageId, string Version, string Folder,
    IReadOnlyDictionary<string, long> FileSizes, string Verified, DateTime CreatedUtc)
{
    private static readonly JsonSerializerOptions _json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Paths and sentences stay readable in the file (no \u0027 for an apostrophe).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The per-user file: <c>$SHEAR_HOME/libtorch.json</c>, else the user's data folder (<c>~/.local/share/shear</c>).</summary>
    public static string DefaultFile() => Path.Combine(ShearHome(), "libtorch.json");

    /// <summary>Shear's per-user data folder: <c>$SHEAR_HOME</c>, <c>$XDG_DATA_HOME/shear</c>, <c>~/.local/share/shear</c>
    /// (the local application data folder on Windows and macOS).</summary>
    public static string ShearHome()
    {
        if (Environment.GetEnvironmentVariable("SHEAR_HOME") is { Length: > 0 } home)
        {
            return home;
        }
        if (!OperatingSystem.IsLinux())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "shear");
        }
        string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : xdg, "shear");
    }

    /// <summary>Reads the record at <paramref name="file"/>, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a record; the message names it.</exception>
    public static LibTorchSetupRecord? Read(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<LibTorchSetupRecord>(File.ReadAllText(file), _json)
                ?? throw new InvalidDataException($"{file}: empty setup record");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not a setup record ({e.Message}); run `shear setup` again.", e);
        }
    }

    /// <summary>Writes the record atomically (temp file, then rename).</summary>
    public void Write(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        string temp = $"{file}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, _json));
        File.Move(temp, file, overwrite: true);
    }
}
