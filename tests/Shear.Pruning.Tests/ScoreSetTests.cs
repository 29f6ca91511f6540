using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Pruning;

/// <summary>The score container: order, ownership and lifetime.</summary>
public class ScoreSetTests
{
    [Fact]
    public void Constructor_KeepsTheGivenOrderAndValues()
    {
        using var scores = new ScoreSet(
            [KeyValuePair.Create("z", tensor(new[] { 3.0, 1.0 })), KeyValuePair.Create("a", tensor(new[] { 2.0 }))]);

        Assert.Equal(["z", "a"], scores.Names);
        Assert.Equal(new[] { 3.0, 1.0 }, scores["z"].data<double>().ToArray());
    }

    [Fact]
    public void Constructor_ScoresThatRequireGrad_AreStoredDetached()
    {
        using var weight = ones(3, requires_grad: true);
        using var score = weight * 2;

        using var scores = new ScoreSet([KeyValuePair.Create("w", score)]);

        Assert.False(scores["w"].requires_grad);
    }

    [Fact]
    public void ConstructThenDispose_TakesOverTheTensorsItIsGiven()
    {
        // "Takes over scores": once the set is disposed, no tensor handed to it may stay alive.
        TensorLeakGuard.Run(() => new ScoreSet([KeyValuePair.Create("a", ones(3))]).Dispose());
    }
}
