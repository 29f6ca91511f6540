using Shear.Data;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Training;

public class BatchNormRecalibrationTests
{
    private static (nn.Module<Tensor, Tensor> Model, TorchSharp.Modules.Conv2d Conv, TorchSharp.Modules.BatchNorm2d Norm) NewModel()
    {
        manual_seed(4);
        var conv = nn.Conv2d(1, 3, 3);
        var norm = nn.BatchNorm2d(3);
        return (nn.Sequential(conv, norm), conv, norm);
    }

    [Fact]
    public void Run_ThreeBatches_StatisticsAreTheCumulativeAverageOfTheBatches_WeightsAndMomentumKept()
    {
        using var data = SyntheticData.Make(12, new ImageShape(1, 6, 6), 2, seed: 9);
        using var source = new BatchSource(data, Normalization.Of(data), CPU);
        var (model, conv, norm) = NewModel();
        using var weightBefore = conv.weight!.detach().clone();
        var batchMeans = new List<Tensor>();
        var batchVariances = new List<Tensor>();
        using (no_grad())
        {
            foreach (var (input, _) in source.Sequential(4))
            {
                var output = conv.call(input);
                batchMeans.Add(output.mean([0, 2, 3]).detach().MoveToOuterDisposeScope());
                batchVariances.Add(output.var([0, 2, 3], unbiased: true).detach().MoveToOuterDisposeScope());
            }
        }

        int recalibrated = BatchNormRecalibration.Run(model, source, batches: 3, batchSize: 4);

        Assert.Equal(1, recalibrated);
        Assert.True(stack(batchMeans).mean([0]).allclose(norm.running_mean!, rtol: 1e-5, atol: 1e-6), "running mean");
        Assert.True(stack(batchVariances).mean([0]).allclose(norm.running_var!, rtol: 1e-5, atol: 1e-6), "running variance");
        Assert.Equal(0.1, norm.momentum);
        Assert.False(model.training);
        Assert.True(weightBefore.eq(conv.weight!).all().item<bool>(), "recalibration changed a weight");
    }

    [Fact]
    public void Run_ZeroBatches_LeavesTheStatisticsAlone()
    {
        using var data = SyntheticData.Make(8, new ImageShape(1, 6, 6), 2, seed: 9);
        using var source = new BatchSource(data, Normalization.Of(data), CPU);
        var (model, _, norm) = NewModel();
        using (no_grad())
        {
            norm.running_mean!.fill_(0.25f);
        }

        Assert.Equal(0, BatchNormRecalibration.Run(model, source, batches: 0, batchSize: 4));
        Assert.Equal(0.25f, norm.running_mean!.mean().item<float>());
    }
}
