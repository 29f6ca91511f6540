using Shear.TestKit;
using SkiaSharp;
using Xunit;

namespace Shear.Data;

public class ImageFolderReaderTests
{
    [Fact]
    public void Load_ClassFolders_SortsClassesAndKeepsColour()
    {
        using var dir = new TempDirectory();
        DataFileWriter.Image(dir.File("train/zebra/a.png"), 6, 4, new SKColor(200, 10, 30));
        DataFileWriter.Image(dir.File("train/apple/a.png"), 6, 4, new SKColor(0, 255, 0));
        DataFileWriter.Image(dir.File("train/apple/b.jpg"), 6, 4, new SKColor(0, 255, 0), SKEncodedImageFormat.Jpeg);
        DataFileWriter.Image(dir.File("test/apple/c.png"), 6, 4, new SKColor(0, 255, 0));
        DataFileWriter.Image(dir.File("test/zebra/d.png"), 6, 4, new SKColor(200, 10, 30));

        using var split = DatasetCatalog.Load(dir.Path);

        Assert.Equal(["apple", "zebra"], split.Train.ClassNames);
        Assert.Equal(new ImageShape(3, 4, 6), split.Train.Shape);
        Assert.Equal([0L, 0, 1], split.Train.Labels.data<long>().ToArray());
        var zebra = split.Test.Images[1];
        Assert.Equal([200, 10, 30], new[] { zebra[0, 0, 0].item<byte>(), zebra[1, 2, 3].item<byte>(), zebra[2, 3, 5].item<byte>() }.Select(b => (int)b));
    }

    [Fact]
    public void Load_AllGreyImages_StoresOneChannel()
    {
        using var dir = new TempDirectory();
        DataFileWriter.Image(dir.File("train/a/1.png"), 3, 3);
        DataFileWriter.Image(dir.File("train/b/1.png"), 3, 3);
        DataFileWriter.Image(dir.File("val/a/1.png"), 3, 3);
        DataFileWriter.Image(dir.File("val/b/1.png"), 3, 3);

        using var split = DatasetCatalog.Load(dir.Path);

        Assert.Equal(new ImageShape(1, 3, 3), split.Test.Shape);
        Assert.Equal(90, split.Test.Images[0, 0, 1, 1].item<byte>());
    }

    [Fact]
    public void Load_TinyImageNetLayout_LabelsValidationFromAnnotations()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("wnids.txt"), ["n02", "n01"]);
        File.WriteAllLines(dir.File("words.txt"), ["n01\tgoldfish, Carassius auratus", "n02\ttabby, tabby cat"]);
        DataFileWriter.Image(dir.File("train/n01/images/n01_0.JPEG"), 8, 8, SKColors.Orange, SKEncodedImageFormat.Jpeg);
        DataFileWriter.Image(dir.File("train/n02/images/n02_0.JPEG"), 8, 8, SKColors.Gray, SKEncodedImageFormat.Jpeg);
        DataFileWriter.Image(dir.File("val/images/val_0.JPEG"), 8, 8, SKColors.Gray, SKEncodedImageFormat.Jpeg);
        DataFileWriter.Image(dir.File("val/images/val_1.JPEG"), 8, 8, SKColors.Orange, SKEncodedImageFormat.Jpeg);
        File.WriteAllLines(dir.File("val/val_annotations.txt"), ["val_0.JPEG\tn02\t0\t0\t7\t7", "val_1.JPEG\tn01\t1\t1\t6\t6"]);

        using var split = DatasetCatalog.Load(dir.Path);

        Assert.Equal(["goldfish", "tabby"], split.Train.ClassNames);
        Assert.Equal([0L, 1], split.Train.Labels.data<long>().ToArray());
        Assert.Equal([1L, 0], split.Test.Labels.data<long>().ToArray());
        Assert.Equal(new ImageShape(3, 8, 8), split.Test.Shape);
    }

    [Fact]
    public void Load_EmptyClassFolder_NamesTheFolder()
    {
        using var dir = new TempDirectory();
        DataFileWriter.Image(dir.File("train/a/1.png"), 3, 3);
        Directory.CreateDirectory(dir.File("train/b"));
        DataFileWriter.Image(dir.File("test/a/1.png"), 3, 3);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.Path));

        Assert.Equal($"{dir.File("train/b")}: empty class folder: no .png, .jpg or .jpeg files", e.Message);
    }

    [Fact]
    public void Load_CorruptImage_NamesTheFile()
    {
        using var dir = new TempDirectory();
        DataFileWriter.Image(dir.File("train/a/1.png"), 3, 3);
        DataFileWriter.Image(dir.File("test/a/1.png"), 3, 3);
        File.WriteAllBytes(dir.File("train/a/2.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.Path));

        Assert.StartsWith(dir.File("train/a/2.png") + ": corrupt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedPng_NamesTheFile()
    {
        using var dir = new TempDirectory();
        DataFileWriter.Image(dir.File("train/a/1.png"), 16, 16, SKColors.Red);
        DataFileWriter.Image(dir.File("test/a/1.png"), 16, 16, SKColors.Red);
        byte[] whole = File.ReadAllBytes(dir.File("train/a/1.png"));
        File.WriteAllBytes(dir.File("train/a/2.png"), whole[..(whole.Length / 2)]);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.Path));

        Assert.StartsWith(dir.File("train/a/2.png") + ": corrupt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ImageOfAnotherSize_NamesFileAndBothSizes()
    {
        using var dir = new TempDirectory();
        DataFileWriter.Image(dir.File("train/a/1.png"), 3, 3);
        DataFileWriter.Image(dir.File("train/a/2.png"), 4, 3);
        DataFileWriter.Image(dir.File("test/a/1.png"), 3, 3);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.Path));

        Assert.Equal($"{dir.File("train/a/2.png")}: image is 4x3, the set's first image is 3x3", e.Message);
    }
}
