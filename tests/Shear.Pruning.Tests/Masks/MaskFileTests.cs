using Shear.Masks;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning.Masks;

/// <summary>The persisted mask format: lossless round trips, and every damaged or foreign file refused with an
/// <see cref="InvalidDataException"/> that names the file.</summary>
public class MaskFileTests
{
    [Fact]
    public void SaveThenLoad_MixedRanksAndNames_GivesSameNamesOrderShapesAndValues()
    {
        using var folder = new TempDirectory();
        string path = folder.File("masks.bin");
        using var original = SampleMasks();

        MaskFile.Save(path, original);
        using var loaded = MaskFile.Load(path, CPU);

        // Names stay in the saved order, which is not sorted.
        Assert.Equal(original.Names, loaded.Names);
        foreach (string name in original.Names)
        {
            TensorAssert.BitIdentical(original[name], loaded[name]);
        }
        Assert.Equal(original.Kept, loaded.Kept);
    }

    [Fact]
    public void SaveThenLoad_LeavesNoLiveTensorsBehind()
    {
        using var folder = new TempDirectory();
        string path = folder.File("masks.bin");
        using var masks = SampleMasks();

        TensorLeakGuard.Run(() =>
        {
            MaskFile.Save(path, masks);
            MaskFile.Load(path, CPU).Dispose();
        });
    }

    [Fact]
    public void Save_WritesTheDocumentedLayout()
    {
        using var folder = new TempDirectory();
        string path = folder.File("masks.bin");
        var values = tensor(new[] { true, false, true, true, false, false }, [2, 3]);
        using var masks = new MaskSet([KeyValuePair.Create("fc.weight", values)]);

        MaskFile.Save(path, masks);

        using var reader = new BinaryReader(File.OpenRead(path));
        Assert.Equal("SHEAR-MASKS", reader.ReadString());
        Assert.Equal(1, reader.ReadInt32());
        Assert.Equal(1, reader.ReadInt32());
        Assert.Equal("fc.weight", reader.ReadString());
        Assert.Equal(2, reader.ReadInt32());
        Assert.Equal(2L, reader.ReadInt64());
        Assert.Equal(3L, reader.ReadInt64());
        Assert.Equal(new byte[] { 1, 0, 1, 1, 0, 0 }, reader.ReadBytes(6));
        Assert.Equal(reader.BaseStream.Length, reader.BaseStream.Position);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("png")]
    [InlineData("0xff")]
    [InlineData("other-magic")]
    public void Load_NotAMaskFile_ThrowsInvalidDataNamingThePath(string kind)
    {
        using var folder = new TempDirectory();
        string path = folder.File($"{kind}.bin");
        File.WriteAllBytes(path, ForeignContents(kind));

        var error = Assert.Throws<InvalidDataException>(() => MaskFile.Load(path, CPU).Dispose());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyFile_ThrowsInvalidDataNamingThePath()
    {
        using var folder = new TempDirectory();
        string path = folder.File("empty.bin");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<InvalidDataException>(() => MaskFile.Load(path, CPU).Dispose());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    // SampleMasks' file: magic 12 bytes, version 4, count 4, then "b.weight" 9 + rank 4 + dims 16 + data 12, … and
    // last "a.weight" with dims 8 + data 5. The cuts land inside the magic (5), the version (14), the count (18), a
    // name (24), a dimension (40), the last mask's data (-1) and its dimension (-7).
    [Theory]
    [InlineData(5)]
    [InlineData(14)]
    [InlineData(18)]
    [InlineData(24)]
    [InlineData(40)]
    [InlineData(-1)]
    [InlineData(-7)]
    public void Load_TruncatedFile_ThrowsInvalidDataNamingThePath(int cut)
    {
        using var folder = new TempDirectory();
        string path = folder.File("masks.bin");
        using (var masks = SampleMasks())
        {
            MaskFile.Save(path, masks);
        }
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..(cut >= 0 ? cut : whole.Length + cut)]);

        var error = Assert.Throws<InvalidDataException>(() => MaskFile.Load(path, CPU).Dispose());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    // Three masks of ranks 2, 4 and 1, named out of alphabetical order, with a seeded pattern.
    private static MaskSet SampleMasks()
    {
        using var generator = new Generator(17);
        long[][] shapes = [[3, 4], [2, 3, 3, 3], [5]];
        string[] names = ["b.weight", "layer1.0.conv1.weight", "a.weight"];
        return new MaskSet(names.Select((n, i) => KeyValuePair.Create(n, rand(shapes[i], generator: generator) < 0.5)));
    }

    private static byte[] ForeignContents(string kind) => kind switch
    {
        "text" => System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("not a mask file at all. ", 20))),
        "png" => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13],
        "0xff" => [.. Enumerable.Repeat((byte)0xFF, 64)],
        "other-magic" => WithString("SHEAR-MODEL"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] WithString(string text)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(text);
            writer.Write(1);
            writer.Write(0);
        }
        return buffer.ToArray();
    }
}
