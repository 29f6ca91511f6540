using System.Security.Cryptography;
using System.Text.Json;
using Shear.TestKit;
using Xunit;

namespace Shear.Cli;

/// <summary>Seeded runs in fresh processes: the reproducer of decision 0003 (Conv-6 at 1/8 width, where oneDNN's
/// NCHW kernels read unwritten padding and about one process in four went to NaN) with zero fill off.</summary>
public class DeterminismTests
{
    [Fact]
    public void Train_SameSeedInFreshProcesses_GivesFiniteBitIdenticalWeights()
    {
        using var folder = new TempDirectory();
        var hashes = new List<string>();
        for (int run = 0; run < 3; run++)
        {
            var outcome = ShearProcess.Run(folder.Path, "train", "--model", "conv6", "--width", "0.125", "--seed", "3", "--threads", "1",
                "--epochs", "1", "--data", "fashion-mnist-subset", "--lr", "0.1", "--out", $"run{run}");

            Assert.Equal(0, outcome.ExitCode);
            using var metrics = JsonDocument.Parse(File.ReadLines(folder.File($"run{run}/metrics.jsonl")).Last());
            Assert.True(double.IsFinite(metrics.RootElement.GetProperty("testLoss").GetDouble()));
            hashes.Add(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(folder.File($"run{run}/model.bin")))));
        }

        Assert.Single(hashes.Distinct());
    }
}
