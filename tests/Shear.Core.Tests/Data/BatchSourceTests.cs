using Shear.Runtime;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Data;

public class BatchSourceTests
{
    [Fact]
    public void Shuffled_OneEpoch_ServesEverySampleExactlyOnce()
    {
        using var data = SyntheticData.Make(100, new ImageShape(1, 4, 4), classes: 100, seed: 2);
        using var source = new BatchSource(data, new Normalization([0.0], [1.0]), CPU);

        var labels = source.Shuffled(0, 32, new RandomSource(1), AugmentationOptions.None)
            .SelectMany(b => b.Labels.data<long>().ToArray()).ToList();

        Assert.Equal(100, labels.Count);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), labels.Order());
    }

    [Fact]
    public void Shuffled_SameEpochTwice_SameOrderAndAugmentation_OtherEpochDiffers()
    {
        using var data = SyntheticData.Make(64, new ImageShape(1, 6, 6), classes: 64, seed: 2);
        using var source = new BatchSource(data, new Normalization([0.5], [0.25]), CPU);
        var augmentation = new AugmentationOptions { CropPadding = 2, HorizontalFlip = true };
        var random = new RandomSource(7);

        var first = source.Shuffled(3, 64, random, augmentation).Select(BatchSource.Keep).Single();
        var again = source.Shuffled(3, 64, random, augmentation).Select(BatchSource.Keep).Single();
        var other = source.Shuffled(4, 64, random, augmentation).Select(BatchSource.Keep).Single();

        TensorAssert.BitIdentical(first.Input, again.Input);
        TensorAssert.BitIdentical(first.Labels, again.Labels);
        Assert.False(first.Labels.eq(other.Labels).all().item<bool>());
    }

    [Fact]
    public void Shuffled_CropWithPadding_KeepsShapeAndShiftsContent()
    {
        using var data = SyntheticData.Make(16, new ImageShape(1, 6, 6), classes: 4, seed: 2);
        using var source = new BatchSource(data, new Normalization([0.0], [1.0]), CPU);
        var random = new RandomSource(7);

        var plain = source.Shuffled(0, 16, random, AugmentationOptions.None).Select(BatchSource.Keep).Single().Input;
        var cropped = source.Shuffled(0, 16, random, new AugmentationOptions { CropPadding = 2 }).Select(BatchSource.Keep).Single().Input;

        Assert.Equal(plain.shape, cropped.shape);
        Assert.False(plain.eq(cropped).all().item<bool>());
        // Every cropped pixel is either an original pixel value or the zero padding.
        var originals = plain.flatten().data<float>().ToHashSet();
        Assert.All(cropped.flatten().data<float>().ToArray(), v => Assert.True(v == 0f || originals.Contains(v)));
    }

    [Fact]
    public void Sequential_Normalises_WithTheGivenMeanAndStd()
    {
        using var data = SyntheticData.Make(8, new ImageShape(1, 2, 2), classes: 2, seed: 2);
        using var source = new BatchSource(data, new Normalization([0.5], [0.25]), CPU);

        var (input, _) = source.Sequential(8).Select(BatchSource.Keep).Single();

        var expected = ((data.Images.to(float32) / 255f) - 0.5f) / 0.25f;
        TensorAssert.AllClose(expected, input, 1e-6);
    }

    [Fact]
    public void Shuffled_NextBatchRequested_DisposesThePrevious_KeptBatchesSurvive()
    {
        using var data = SyntheticData.Make(64, new ImageShape(1, 4, 4), classes: 4, seed: 2);
        using var source = new BatchSource(data, new Normalization([0.0], [1.0]), CPU);
        using var batches = source.Shuffled(0, 16, new RandomSource(1), AugmentationOptions.None).GetEnumerator();

        Assert.True(batches.MoveNext());
        var first = batches.Current;
        Assert.True(batches.MoveNext());
        var kept = BatchSource.Keep(batches.Current);
        Assert.True(batches.MoveNext());

        Assert.True(first.Input.IsInvalid && first.Labels.IsInvalid);
        Assert.False(kept.Input.IsInvalid || kept.Labels.IsInvalid);
        Assert.Equal(16, kept.Labels.shape[0]);
        kept.Input.Dispose();
        kept.Labels.Dispose();
    }
}
