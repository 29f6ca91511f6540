using System.Security.Cryptography;

namespace Shear.Runtime;

/// <summary>
/// A per-user folder of patched native libraries, keyed by the SHA-256 of the original so that a TorchSharp
/// upgrade gets a fresh copy and two versions never share one.
/// </summary>
internal sealed class PatchedLibraryCache
{
    private readonly string _root;

    /// <summary>Creates a cache rooted at <paramref name="root"/> (created on first write).</summary>
    public PatchedLibraryCache(string root) => _root = root;

    /// <summary>The default root: <c>$XDG_CACHE_HOME/shear/native</c>, else <c>~/.cache/shear/native</c>.</summary>
    public static string DefaultRoot()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseDir = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(baseDir, "shear", "native");
    }

    /// <summary>
    /// Returns the path of a verified copy of <paramref name="patched"/> for the original at
    /// <paramref name="originalPath"/>, writing it atomically (temp file, then rename) when absent or corrupt.
    /// </summary>
    public string GetOrCreate(string originalPath, byte[] patched)
    {
        string key = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(originalPath)))[..16];
        string folder = Path.Combine(_root, key);
        string target = Path.Combine(folder, Path.GetFileName(originalPath));
        if (File.Exists(target) && Matches(target, patched))
        {
            return target;
        }
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(originalPath)}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(temp, patched);
        // Another process may have won the race with identical bytes; overwriting is then harmless.
        File.Move(temp, target, overwrite: true);
        if (!Matches(target, patched))
        {
            throw new IOException($"{target}: the patched copy did not verify after writing.");
        }
        return target;
    }

    private static bool Matches(string path, byte[] expected) =>
        SHA256.HashData(File.ReadAllBytes(path)).AsSpan().SequenceEqual(SHA256.HashData(expected));
}
