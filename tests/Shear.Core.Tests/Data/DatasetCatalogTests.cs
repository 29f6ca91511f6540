using Shear.TestKit;
using Xunit;

namespace Shear.Data;

public class DatasetCatalogTests
{
    [Fact]
    public void Load_MissingPath_NamesItAndTheKnownNames()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => DatasetCatalog.Load("/no/such/data"));

        Assert.Contains("/no/such/data: no such file or folder (known names: fashion-mnist, fashion-mnist-subset)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderOfUnknownLayout_SaysWhatWasExpected()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("notes.txt"), "nothing here");

        var e = Assert.Throws<DirectoryNotFoundException>(() => DatasetCatalog.Load(dir.Path));

        Assert.Contains("no known data layout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FashionMnist_IsTheFullSetWhenInstalledElseTheSubset()
    {
        using var split = DatasetCatalog.Load("fashion-mnist");
        bool installed = File.Exists(Path.Combine(DatasetCatalog.InstalledFashionMnist, "train-images-idx3-ubyte.gz"));

        Assert.Equal(installed ? "fashion-mnist" : "fashion-mnist-subset", split.Name);
        Assert.Equal(installed ? 60_000 : 10_000, split.Train.Count);
        Assert.Equal(installed ? 10_000 : 2_000, split.Test.Count);
    }
}
