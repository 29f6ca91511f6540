using Shear.TestKit;
using Xunit;

namespace Shear.Data;

public class CifarBinaryReaderTests
{
    [Fact]
    public void Load_Cifar10_ReadsEveryBatchInOrderWithNames()
    {
        using var dir = new TempDirectory();
        string root = Directory.CreateDirectory(dir.File("cifar-10-batches-bin")).FullName;
        for (int b = 1; b <= 5; b++)
        {
            File.WriteAllBytes(Path.Combine(root, $"data_batch_{b}.bin"), DataFileWriter.CifarRecords(2, 1, i => (byte)((2 * b) + i - 2)));
        }
        File.WriteAllBytes(Path.Combine(root, "test_batch.bin"), DataFileWriter.CifarRecords(3, 1, i => (byte)(9 - i)));
        File.WriteAllLines(Path.Combine(root, "batches.meta.txt"), ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck", ""]);

        using var split = DatasetCatalog.Load(dir.Path);

        Assert.Equal(new ImageShape(3, 32, 32), split.Train.Shape);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), split.Train.Labels.data<long>().ToArray());
        Assert.Equal([9L, 8, 7], split.Test.Labels.data<long>().ToArray());
        Assert.Equal("truck", split.Train.ClassNames[9]);
        Assert.Equal(DataFileWriter.Pixels(3, 3072), split.Test.Images.data<byte>().ToArray());
    }

    [Fact]
    public void Load_Cifar100_UsesTheFineLabel()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("train.bin"), DataFileWriter.CifarRecords(4, 2, i => (byte)(97 + i - (i / 3 * 3))));
        File.WriteAllBytes(dir.File("test.bin"), DataFileWriter.CifarRecords(1, 2, _ => 42));

        using var split = DatasetCatalog.Load(dir.Path);

        Assert.Equal(100, split.Train.ClassCount);
        Assert.Equal([97L, 98, 99, 97], split.Train.Labels.data<long>().ToArray());
        Assert.Equal([42L], split.Test.Labels.data<long>().ToArray());
    }

    [Fact]
    public void Load_TruncatedBatch_NamesTheFileAndRecordSize()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("train.bin"), DataFileWriter.CifarRecords(2, 2, _ => 1)[..^100]);
        File.WriteAllBytes(dir.File("test.bin"), DataFileWriter.CifarRecords(1, 2, _ => 1));

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.Path));

        Assert.Contains(dir.File("train.bin") + ": truncated or not a CIFAR binary file: 6048 bytes is not a positive multiple of the 3074-byte record",
            e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingTestBatch_NamesIt()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("train.bin"), DataFileWriter.CifarRecords(1, 2, _ => 1));

        var e = Assert.Throws<FileNotFoundException>(() => DatasetCatalog.Load(dir.Path));

        Assert.Contains(dir.File("test.bin"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Cifar10LabelOutOfRange_NamesFileAndRecord()
    {
        using var dir = new TempDirectory();
        for (int b = 1; b <= 5; b++)
        {
            File.WriteAllBytes(dir.File($"data_batch_{b}.bin"), DataFileWriter.CifarRecords(1, 1, _ => 3));
        }
        File.WriteAllBytes(dir.File("test_batch.bin"), DataFileWriter.CifarRecords(2, 1, i => (byte)(10 * i)));

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.Path));

        Assert.Contains("test_batch.bin: label 10 of record 1 is outside [0, 10)", e.Message, StringComparison.Ordinal);
    }
}
