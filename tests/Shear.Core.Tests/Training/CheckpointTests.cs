using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Training;

public class CheckpointTests
{
    [Fact]
    public void SaveThenLoad_EpochWithInfiniteTestLoss_RoundTripsInsteadOfFailing()
    {
        using var folder = new TempDirectory();
        using var model = nn.Linear(3, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        var record = new EpochRecord(1, 2.3, 0.1, 0.1, 0.5, double.PositiveInfinity, 0.1, 1000, 1.5);
        var state = new TrainingState(1, 10, "abc", [record]);

        Checkpoint.Save(folder.File("ckpt.bin"), state, model, optimizer);
        var loaded = Checkpoint.Load(folder.File("ckpt.bin"), model, optimizer);

        Assert.Equal(record, Assert.Single(loaded.History));
        Assert.Equal((1, 10L, "abc"), (loaded.CompletedEpochs, loaded.Steps, loaded.Fingerprint));
    }
}
