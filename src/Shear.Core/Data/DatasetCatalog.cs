namespace Shear.Data;

/// <summary>
/// Turns a data spec into a loaded split: a known name (<c>fashion-mnist</c>, <c>fashion-mnist-subset</c>) or a
/// path whose format is recognised from its contents. Nothing is ever downloaded.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the full set.</summary>
    public const string InstalledFashionMnist = "/usr/share/datasets/fashion-mnist";

    /// <summary>The class-balanced Fashion-MNIST subset shipped with Shear (10,000 train, 2,000 test).</summary>
    public static string EmbeddedSubset => Path.Combine(AppContext.BaseDirectory, "data", "fashion-mnist-subset");

    /// <summary>The names <see cref="Load"/> accepts besides paths.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fashion-mnist", "fashion-mnist-subset"];

    /// <summary>Loads <paramref name="spec"/>: <c>fashion-mnist</c> (the installed full set, else the embedded
    /// subset), <c>fashion-mnist-subset</c>, or a path to an IDX folder, a CIFAR binary folder, an image folder
    /// (class folders or Tiny ImageNet) or an <c>.npz</c> file.</summary>
    /// <exception cref="DataFormatException">The files are malformed; the message names the file.</exception>
    /// <exception cref="DirectoryNotFoundException">The path does not exist or holds no known layout.</exception>
    public static DataSplit Load(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        return spec switch
        {
            "fashion-mnist" when IdxDataset.Recognises(InstalledFashionMnist) => IdxDataset.Load(InstalledFashionMnist, "fashion-mnist"),
            "fashion-mnist" or "fashion-mnist-subset" => IdxDataset.Load(EmbeddedSubset, "fashion-mnist-subset"),
            _ => LoadPath(spec),
        };
    }

    /// <summary>Which of the two names <c>fashion-mnist</c> resolves to on this machine.</summary>
    public static string Resolve(string spec) =>
        spec == "fashion-mnist" && !IdxDataset.Recognises(InstalledFashionMnist) ? "fashion-mnist-subset" : spec;

    private static DataSplit LoadPath(string path)
    {
        string name = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(path));
        if (File.Exists(path))
        {
            return path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)
                ? NpzReader.Load(path, name)
                : throw new DataFormatException(path, "a data file must be an .npz archive; other formats are folders");
        }
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException(
                $"--data {path}: no such file or folder (known names: {string.Join(", ", Names)})");
        }
        if (IdxDataset.Recognises(path))
        {
            return IdxDataset.Load(path, name);
        }
        if (CifarBinaryReader.Locate(path) is not null)
        {
            return CifarBinaryReader.Load(path, name);
        }
        if (ImageFolderReader.Recognises(path))
        {
            return ImageFolderReader.Load(path, name);
        }
        throw new DirectoryNotFoundException($"{path}: no known data layout (IDX files train-images-idx3-ubyte[.gz] …, "
            + "CIFAR data_batch_1.bin or train.bin, train/<class>/ image folders, or Tiny ImageNet)");
    }
}
