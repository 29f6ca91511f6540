using Shear.TestKit;
using Xunit;

namespace Shear.Data;

public class IdxDatasetTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Load_GzipOrRaw_ImagesAndLabelsKeepTheirOrderAndValues(bool gzip)
    {
        using var dir = new TempDirectory();
        DataFileWriter.IdxFolder(dir.Path, train: 6, test: 3, gzip: gzip);

        using var split = DatasetCatalog.Load(dir.Path);

        Assert.Equal(new ImageShape(1, 4, 5), split.Train.Shape);
        Assert.Equal(6, split.Train.Count);
        Assert.Equal(3, split.Test.Count);
        Assert.Equal([0L, 1, 2, 0, 1, 2], split.Train.Labels.data<long>().ToArray());
        Assert.Equal(DataFileWriter.Pixels(6, 20), split.Train.Images.data<byte>().ToArray());
        Assert.Equal(["0", "1", "2"], split.Train.ClassNames);
    }

    [Fact]
    public void Load_ClassesFile_NamesTheClasses()
    {
        using var dir = new TempDirectory();
        DataFileWriter.IdxFolder(dir.Path);
        File.WriteAllLines(dir.File("classes.txt"), ["cat", "dog", "emu"]);

        using var split = DatasetCatalog.Load(dir.Path);

        Assert.Equal(["cat", "dog", "emu"], split.Test.ClassNames);
    }

    [Fact]
    public void Read_WrongMagic_NamesFileAndMagic()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("x.idx"), [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 1]);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(dir.File("x.idx")));

        Assert.Contains(dir.File("x.idx"), e.Message, StringComparison.Ordinal);
        Assert.Contains("wrong magic number (0x504B0304", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Truncated_SaysHowManyBytesWereMissing()
    {
        using var dir = new TempDirectory();
        DataFileWriter.Idx(dir.File("images.gz"), [3, 4, 5], new byte[59], gzip: true);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(dir.File("images.gz")));

        Assert.Contains("images.gz: truncated: dimensions [3, 4, 5] need 60 data bytes, the file has 59", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CorruptGzip_IsAFormatErrorNamingTheFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("bad.gz"), [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(dir.File("bad.gz")));

        Assert.StartsWith(dir.File("bad.gz") + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains("gzip", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LabelCountDiffersFromImageCount_NamesTheLabelFile()
    {
        using var dir = new TempDirectory();
        DataFileWriter.IdxFolder(dir.Path, train: 6, gzip: false);
        DataFileWriter.Idx(dir.File("train-labels-idx1-ubyte"), [5], [0, 1, 2, 0, 1]);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.Path));

        Assert.Contains("train-labels-idx1-ubyte: 5 labels for 6 images", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LabelBeyondClassList_NamesFileLabelAndIndex()
    {
        using var dir = new TempDirectory();
        DataFileWriter.IdxFolder(dir.Path, train: 6, gzip: false);
        File.WriteAllLines(dir.File("classes.txt"), ["a", "b"]);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.Path));

        Assert.Contains("train-labels-idx1-ubyte: label 2 at index 2 is outside [0, 2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoTrainingImages_IsAnErrorNamingTheLabelFile()
    {
        using var dir = new TempDirectory();
        DataFileWriter.IdxFolder(dir.Path, train: 0, gzip: false);
        File.WriteAllLines(dir.File("classes.txt"), ["a", "b", "c"]);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.Path));

        Assert.Contains("train-labels-idx1-ubyte: holds no training examples", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LabelsThatSkipClasses_IsAnErrorNamingTheLabelFileAndClasses()
    {
        // 20 training labels, all 200: numbered classes would make a 201-class model with 200 empty classes.
        using var dir = new TempDirectory();
        DataFileWriter.IdxFolder(dir.Path, train: 20, gzip: false);
        DataFileWriter.Idx(dir.File("train-labels-idx1-ubyte"), [20], [.. Enumerable.Repeat((byte)200, 20)]);
        DataFileWriter.Idx(dir.File("t10k-labels-idx1-ubyte"), [3], [200, 200, 200]);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.Path));

        Assert.Contains("train-labels-idx1-ubyte: classes 200 of 201, the first 0 (0) have no training example", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ListedClassWithoutTrainingExample_NamesTheLabelFileAndTheClass()
    {
        // A test label training never shows is such a class too: every label is below the class count.
        using var dir = new TempDirectory();
        DataFileWriter.IdxFolder(dir.Path, train: 6, gzip: false);
        File.WriteAllLines(dir.File("classes.txt"), ["a", "b", "c", "d"]);
        DataFileWriter.Idx(dir.File("train-labels-idx1-ubyte"), [6], [0, 1, 3, 3, 0, 1]);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.Path));

        Assert.Contains("train-labels-idx1-ubyte: classes 2 (c) have no training example", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmbeddedSubset_IsBalancedFashionMnist()
    {
        using var split = DatasetCatalog.Load("fashion-mnist-subset");

        Assert.Equal((10_000, 2_000), (split.Train.Count, split.Test.Count));
        Assert.Equal(new ImageShape(1, 28, 28), split.Train.Shape);
        Assert.Equal(IdxDataset.FashionClasses, split.Train.ClassNames);
        var perClass = TorchSharp.torch.bincount(split.Train.Labels).data<long>().ToArray();
        Assert.All(perClass, n => Assert.Equal(1000, n));
    }
}
