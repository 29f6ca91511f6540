namespace Shear.Data;

/// <summary>
/// Reads the CIFAR-10 and CIFAR-100 binary versions. CIFAR-10: <c>data_batch_1..5.bin</c> and <c>test_batch.bin</c>,
/// records of 1 label byte + 3072 pixel bytes (R, G, B planes of 32x32). CIFAR-100: <c>train.bin</c> and
/// <c>test.bin</c>, records of a coarse and a fine label byte + 3072 pixel bytes; the fine label is used.
/// </summary>
public static class CifarBinaryReader
{
    private const int Pixels = 3 * 32 * 32;
    private static readonly ImageShape _shape = new(3, 32, 32);

    /// <summary>The folder holding the files: <paramref name="folder"/> itself or its <c>cifar-10-batches-bin</c>
    /// or <c>cifar-100-binary</c> sub-folder; null when neither layout is there.</summary>
    public static string? Locate(string folder)
    {
        foreach (string candidate in new[] { folder, Path.Combine(folder, "cifar-10-batches-bin"), Path.Combine(folder, "cifar-100-binary") })
        {
            if (File.Exists(Path.Combine(candidate, "data_batch_1.bin")) || File.Exists(Path.Combine(candidate, "train.bin")))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Loads CIFAR-10 or CIFAR-100 from a folder that <see cref="Locate"/> accepted.</summary>
    public static DataSplit Load(string folder, string name)
    {
        string root = Locate(folder) ?? throw new DirectoryNotFoundException($"{folder}: no CIFAR binary files (data_batch_1.bin or train.bin)");
        bool ten = File.Exists(Path.Combine(root, "data_batch_1.bin"));
        int labelBytes = ten ? 1 : 2;
        int classCount = ten ? 10 : 100;
        string[] trainFiles = ten ? [.. Enumerable.Range(1, 5).Select(i => Path.Combine(root, $"data_batch_{i}.bin"))] : [Path.Combine(root, "train.bin")];
        string testFile = Path.Combine(root, ten ? "test_batch.bin" : "test.bin");
        var classes = ClassNames(Path.Combine(root, ten ? "batches.meta.txt" : "fine_label_names.txt"), classCount);
        var train = ReadRecords(trainFiles, labelBytes, classCount);
        var test = ReadRecords([testFile], labelBytes, classCount);
        return new DataSplit(name,
            DatasetTensors.Create(train.Images, _shape, train.Labels, classes, root + " (train)"),
            DatasetTensors.Create(test.Images, _shape, test.Labels, classes, root + " (test)"));
    }

    private static (byte[] Images, long[] Labels) ReadRecords(string[] files, int labelBytes, int classCount)
    {
        int record = labelBytes + Pixels;
        var chunks = files.Select(f => (Path: f, Bytes: DataFiles.ReadAll(f))).ToArray();
        foreach (var (path, bytes) in chunks)
        {
            if (bytes.Length == 0 || bytes.Length % record != 0)
            {
                throw new DataFormatException(path,
                    $"truncated or not a CIFAR binary file: {bytes.Length} bytes is not a positive multiple of the {record}-byte record");
            }
        }
        int count = chunks.Sum(c => c.Bytes.Length / record);
        var images = new byte[(long)count * Pixels];
        var labels = new long[count];
        int n = 0;
        foreach (var (path, bytes) in chunks)
        {
            for (int offset = 0; offset < bytes.Length; offset += record, n++)
            {
                labels[n] = bytes[offset + labelBytes - 1];
                if (labels[n] >= classCount)
                {
                    throw new DataFormatException(path, $"label {labels[n]} of record {offset / record} is outside [0, {classCount})");
                }
                Buffer.BlockCopy(bytes, offset + labelBytes, images, n * Pixels, Pixels);
            }
        }
        return (images, labels);
    }

    private static string[] ClassNames(string path, int count)
    {
        var names = File.Exists(path) ? DataFiles.ReadNames(path) : [];
        return names.Length == count ? names : [.. Enumerable.Range(0, count).Select(i => $"class{i}")];
    }
}
