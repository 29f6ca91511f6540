using Xunit;

namespace Shear.Pruning.ExtremeValue;

/// <summary>Block maxima on hand-made arrays: block boundaries, the short last block and argument checks.</summary>
public class BlockMaximaTests
{
    [Fact]
    public void Of_BlocksOfThree_TakesEachBlocksMaximumIncludingTheShortLastBlock()
    {
        double[] values = [1, 5, 2, 7, 3, 0, -1, 4];

        Assert.Equal([5.0, 7.0, 4.0], BlockMaxima.Of(values, 3));
    }

    [Fact]
    public void Of_BlocksDividingTheLength_HasNoExtraBlock()
    {
        double[] values = [-3, -2, 9, 8, 0.5, 0.25];

        Assert.Equal([-2.0, 9.0, 0.5], BlockMaxima.Of(values, 2));
    }

    [Fact]
    public void Of_BlockSizeOne_ReturnsACopyOfTheValues()
    {
        double[] values = [3, 1, 2];

        var maxima = BlockMaxima.Of(values, 1);

        Assert.Equal(values, maxima);
        Assert.NotSame(values, maxima);
    }

    [Fact]
    public void Of_BlockLongerThanTheValues_IsOneBlock()
    {
        Assert.Equal([4.0], BlockMaxima.Of([1, 4, 2], 10));
    }

    [Fact]
    public void Of_NoValues_IsEmpty()
    {
        Assert.Empty(BlockMaxima.Of([], 5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Of_BlockSizeBelowOne_ThrowsNamingBlockSize(int blockSize)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => BlockMaxima.Of([1, 2], blockSize));

        Assert.Equal("blockSize", error.ParamName);
    }
}
