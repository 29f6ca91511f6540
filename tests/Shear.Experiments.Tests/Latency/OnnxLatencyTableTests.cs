using Shear.Data;
using Shear.Models;
using Shear.TestKit;
using Xunit;

namespace Shear.Experiments.Latency;

/// <summary>The latency table: a miss is measured once and saved, a saved table loads without measuring, a refresh
/// or another machine's file is measured again, and batch and threads are part of the key.</summary>
public class OnnxLatencyTableTests
{
    private static readonly Graphs.ModelGraph _lenet = ModelZoo.Build("lenet5", new ImageShape(1, 28, 28), 10);

    // A fake clock: milliseconds = MACs of the layer at the batch / 1e6, so sums are checkable.
    private static double Fake(LayerShape layer, int batch, int threads) =>
        batch * (double)layer.InChannels * layer.OutChannels * layer.Kernel * layer.Kernel * layer.Height * layer.Width / 1e6 / threads;

    [Fact]
    public void Milliseconds_MissesAreMeasuredOnceAndSaved_ThenLoadWithoutMeasuring()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.File("cache"), "latency.json");
        int calls = 0;
        double Counting(LayerShape l, int b, int t)
        {
            calls++;
            return Fake(l, b, t);
        }

        var first = new OnnxLatencyTable(file, batch: 4, threads: 1, measure: Counting);
        double ms = first.Milliseconds(_lenet);
        double again = first.Milliseconds(_lenet);
        var loaded = new OnnxLatencyTable(file, batch: 4, threads: 1, measure: Counting);
        double fromFile = loaded.Milliseconds(_lenet);

        int layers = LayerShape.Of(_lenet).Count();
        Assert.Equal(5, layers); // 2 conv + 3 linear
        Assert.Equal((layers, layers, 0), (calls, first.Measured, loaded.Measured));
        Assert.Equal(ms, again);
        Assert.Equal(ms, fromFile);
        Assert.Equal(LayerShape.Of(_lenet).Sum(l => Fake(l, 4, 1)), ms, 12);
    }

    [Fact]
    public void Milliseconds_RefreshOrAnotherMachinesFile_MeasuresAgain_AndBatchIsPartOfTheKey()
    {
        using var dir = new TempDirectory();
        string file = dir.File("latency.json");
        new OnnxLatencyTable(file, 4, 1, measure: Fake).Milliseconds(_lenet);

        var refreshed = new OnnxLatencyTable(file, 4, 1, refresh: true, measure: Fake);
        refreshed.Milliseconds(_lenet);
        var otherBatch = new OnnxLatencyTable(file, 8, 1, measure: Fake);
        otherBatch.Milliseconds(_lenet);
        File.WriteAllText(file, File.ReadAllText(file).Replace(OnnxLatencyTable.MachineKey, "another-machine", StringComparison.Ordinal));
        var moved = new OnnxLatencyTable(file, 4, 1, measure: Fake);
        moved.Milliseconds(_lenet);
        File.WriteAllText(file, "{ not json");
        var damaged = new OnnxLatencyTable(file, 4, 1, measure: Fake);
        damaged.Milliseconds(_lenet);

        Assert.Equal([5, 5, 5, 5], new[] { refreshed.Measured, otherBatch.Measured, moved.Measured, damaged.Measured });
    }

    [Fact]
    public void OnnxTiming_OneConvolution_TakesAPositiveTimeThatGrowsWithTheBatch()
    {
        var conv = new LayerShape("conv", 16, 32, 3, 1, 1, 1, 16, 16).Graph();

        double one = OnnxTiming.Median(conv, batch: 1, threads: 1, blocks: 3, blockSeconds: 0.01);
        double many = OnnxTiming.Median(conv, batch: 32, threads: 1, blocks: 3, blockSeconds: 0.01);

        Assert.InRange(one, 1e-4, 100);
        Assert.True(many > one, $"batch 32 {many} ms, batch 1 {one} ms");
    }
}
