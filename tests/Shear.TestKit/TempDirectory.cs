namespace Shear.TestKit;

/// <summary>A fresh folder under the system temp directory, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "shear-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder (not created).</summary>
    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Deletes the folder.</summary>
    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
