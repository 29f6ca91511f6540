using Shear.Runtime;
using static TorchSharp.torch;

namespace Shear.Data;

/// <summary>
/// Serves a dataset in batches: slices of a seeded per-epoch permutation, converted to normalised float on the
/// target device and augmented as whole-batch tensor operations.
/// </summary>
/// <remarks>
/// The images are moved to the device once, still as uint8. Every random draw of epoch e comes from generators
/// derived from (seed, e), so epoch e's batches do not depend on earlier epochs having run in this process.
/// <para>Each batch is created in a dispose scope that the iterator holds until the caller asks for the next batch
/// (or stops), so batch tensors are freed as soon as the caller moves on rather than whenever the finalizer gets to
/// them, and stay rooted while the caller uses them. A caller that keeps a batch longer takes it with
/// <see cref="Keep"/>.</para>
/// </remarks>
public sealed class BatchSource : IDisposable
{
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private readonly Tensor _mean;
    private readonly Tensor _std;
    private readonly Device _device;

    /// <summary>Prepares <paramref name="data"/> for batching on <paramref name="device"/>.</summary>
    public BatchSource(ImageDataset data, Normalization normalization, Device device)
    {
        _device = device;
        _images = data.Images.to(device).DetachFromDisposeScope();
        _labels = data.Labels.to(device).DetachFromDisposeScope();
        int channels = data.Shape.Channels;
        _mean = tensor(normalization.Mean.Select(v => (float)v).ToArray(), [1, channels, 1, 1], device: device).DetachFromDisposeScope();
        _std = tensor(normalization.Std.Select(v => (float)v).ToArray(), [1, channels, 1, 1], device: device).DetachFromDisposeScope();
        Count = data.Count;
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Number of batches of <paramref name="batchSize"/> (the last one may be short).</summary>
    public int BatchCount(int batchSize) => BatchCount(Count, batchSize);

    /// <summary>Number of batches of <paramref name="batchSize"/> in <paramref name="count"/> samples (the last one
    /// may be short): the optimizer steps of an epoch, known before the data is loaded into a source.</summary>
    public static int BatchCount(int count, int batchSize) => (count + batchSize - 1) / batchSize;

    /// <summary>The training batches of epoch <paramref name="epoch"/>, shuffled and augmented.</summary>
    /// <returns>Pairs of float <c>[B, C, H, W]</c> inputs and int64 <c>[B]</c> labels, disposed when the next batch
    /// is requested.</returns>
    public IEnumerable<(Tensor Input, Tensor Labels)> Shuffled(int epoch, int batchSize, RandomSource random, AugmentationOptions augmentation)
    {
        Tensor order;
        using (var generator = random.Generator("data-order", epoch))
        {
            order = randperm(Count, generator: generator).to(_device).DetachFromDisposeScope();
        }
        using var augmentGenerator = random.Generator("augmentation", epoch);
        try
        {
            for (int start = 0; start < Count; start += batchSize)
            {
                using var batchScope = NewDisposeScope();
                var indices = order.narrow(0, start, Math.Min(batchSize, Count - start));
                var input = Normalize(_images.index_select(0, indices));
                yield return (Augment(input, augmentation, augmentGenerator), _labels.index_select(0, indices));
            }
        }
        finally
        {
            order.Dispose();
        }
    }

    /// <summary>The samples in order, normalised, not augmented (for evaluation); each batch is disposed when the
    /// next is requested.</summary>
    public IEnumerable<(Tensor Input, Tensor Labels)> Sequential(int batchSize)
    {
        for (int start = 0; start < Count; start += batchSize)
        {
            using var batchScope = NewDisposeScope();
            int length = Math.Min(batchSize, Count - start);
            yield return (Normalize(_images.narrow(0, start, length)), _labels.narrow(0, start, length));
        }
    }

    /// <summary>The samples at <paramref name="indices"/> (int64 <c>[K]</c>), normalised, not augmented; created in
    /// the caller's dispose scope.</summary>
    public (Tensor Input, Tensor Labels) Take(Tensor indices)
    {
        var onDevice = indices.to(_device);
        return (Normalize(_images.index_select(0, onDevice)), _labels.index_select(0, onDevice));
    }

    /// <summary>Takes a served batch out of the iterator's scope so it outlives the next request; the caller then
    /// owns it.</summary>
    public static (Tensor Input, Tensor Labels) Keep((Tensor Input, Tensor Labels) batch) =>
        (batch.Input.DetachFromDisposeScope(), batch.Labels.DetachFromDisposeScope());

    /// <summary>Frees the device copies.</summary>
    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
        _mean.Dispose();
        _std.Dispose();
    }

    private Tensor Normalize(Tensor bytes) => bytes.to(float32).div_(255f).sub_(_mean).div_(_std);

    private Tensor Augment(Tensor batch, AugmentationOptions options, Generator generator)
    {
        if (options.CropPadding > 0)
        {
            batch = RandomCrop(batch, options.CropPadding, generator);
        }
        if (options.HorizontalFlip)
        {
            // Draw on the CPU so the stream is the same on every device.
            var flip = (rand([batch.shape[0]], generator: generator) < 0.5).to(_device).view(-1, 1, 1, 1);
            batch = where(flip, batch.flip(3), batch);
        }
        return batch;
    }

    // Pads with zeros in normalised space (the mean colour), then gathers an HxW window at a per-image random
    // offset with two gathers, rows then columns, so the whole batch is cropped without a per-image loop.
    private Tensor RandomCrop(Tensor batch, int padding, Generator generator)
    {
        long n = batch.shape[0], c = batch.shape[1], h = batch.shape[2], w = batch.shape[3];
        var padded = nn.functional.pad(batch, [padding, padding, padding, padding]);
        var offsets = randint(0, (2 * padding) + 1, [2, n], generator: generator).to(_device);
        var rows = (offsets[0].view(n, 1) + arange(h, device: _device).view(1, h)).view(n, 1, h, 1).expand(n, c, h, w + (2 * padding));
        var cols = (offsets[1].view(n, 1) + arange(w, device: _device).view(1, w)).view(n, 1, 1, w).expand(n, c, h, w);
        return padded.gather(2, rows).gather(3, cols);
    }
}
