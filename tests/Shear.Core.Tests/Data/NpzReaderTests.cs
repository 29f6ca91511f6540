using Shear.TestKit;
using Xunit;

namespace Shear.Data;

public class NpzReaderTests
{
    [Fact]
    public void Load_ChannelsLastUint8_BecomesChannelsFirst()
    {
        using var dir = new TempDirectory();
        // Two 2x2 RGB images, channels last: pixel p of image n has (R, G, B) = (100n + 10p, +1, +2).
        byte[] hwc = [.. Enumerable.Range(0, 2).SelectMany(n => Enumerable.Range(0, 4).SelectMany(p => new[] { 0, 1, 2 }.Select(c => (byte)((100 * n) + (10 * p) + c))))];
        DataFileWriter.Npz(dir.File("set.npz"),
            ("x_train", DataFileWriter.Npy("|u1", [2, 2, 2, 3], hwc)),
            ("y_train", DataFileWriter.Npy("<i8", [2], DataFileWriter.Int64s([1, 0]))),
            ("x_test", DataFileWriter.Npy("|u1", [1, 2, 2, 3], hwc[..12])),
            ("y_test", DataFileWriter.Npy("<i8", [1], DataFileWriter.Int64s([1]))));

        using var split = DatasetCatalog.Load(dir.File("set.npz"));

        Assert.Equal(new ImageShape(3, 2, 2), split.Train.Shape);
        Assert.Equal([100, 110, 120, 130, 101, 111, 121, 131, 102, 112, 122, 132], split.Train.Images[1].data<byte>().ToArray().Select(b => (int)b));
        Assert.Equal([1L, 0], split.Train.Labels.data<long>().ToArray());
    }

    [Fact]
    public void Load_Float32UnitRange_ScalesTo255()
    {
        using var dir = new TempDirectory();
        byte[] floats = [.. new[] { 0f, 0.5f, 1f, 0.25f }.SelectMany(BitConverter.GetBytes)];
        DataFileWriter.Npz(dir.File("f.npz"),
            ("x_train", DataFileWriter.Npy("<f4", [1, 2, 2], floats)),
            ("y_train", DataFileWriter.Npy("|u1", [1], [0])),
            ("x_test", DataFileWriter.Npy("<f4", [1, 2, 2], floats)),
            ("y_test", DataFileWriter.Npy("|u1", [1], [0])));

        using var split = DatasetCatalog.Load(dir.File("f.npz"));

        Assert.Equal([0, 128, 255, 64], split.Test.Images.data<byte>().ToArray().Select(b => (int)b));
    }

    [Fact]
    public void Load_MissingArray_ListsWhatWasFound()
    {
        using var dir = new TempDirectory();
        DataFileWriter.Npz(dir.File("m.npz"),
            ("x_train", DataFileWriter.Npy("|u1", [1, 2, 2], new byte[4])),
            ("y_train", DataFileWriter.Npy("|u1", [1], [0])));

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.File("m.npz")));

        Assert.Contains("m.npz: missing array 'x_test' (found: x_train, y_train;", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedArray_NamesTheArray()
    {
        using var dir = new TempDirectory();
        DataFileWriter.Npz(dir.File("t.npz"),
            ("x_train", DataFileWriter.Npy("|u1", [2, 2, 2], new byte[7])),
            ("y_train", DataFileWriter.Npy("|u1", [2], [0, 1])));

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.File("t.npz")));

        Assert.Contains("'x_train': shape (2, 2, 2) of |u1 needs 8 bytes, found 7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnsupportedDtype_NamesIt()
    {
        using var dir = new TempDirectory();
        DataFileWriter.Npz(dir.File("d.npz"), ("x_train", DataFileWriter.Npy("<c8", [1, 1, 1], new byte[8])));

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.File("d.npz")));

        Assert.Contains("'x_train': unsupported dtype <c8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LabelCountMismatch_NamesTheLabels()
    {
        using var dir = new TempDirectory();
        DataFileWriter.Npz(dir.File("l.npz"),
            ("x_train", DataFileWriter.Npy("|u1", [2, 1, 1], new byte[2])),
            ("y_train", DataFileWriter.Npy("|u1", [3], [0, 1, 0])),
            ("x_test", DataFileWriter.Npy("|u1", [1, 1, 1], new byte[1])),
            ("y_test", DataFileWriter.Npy("|u1", [1], [0])));

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.File("l.npz")));

        Assert.Contains("'y_train' has shape (3); expected (2,), one label per image", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAZip_IsAFormatError()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("z.npz"), "hello");

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(dir.File("z.npz")));

        Assert.StartsWith(dir.File("z.npz") + ": not a valid .npz", e.Message, StringComparison.Ordinal);
    }
}
