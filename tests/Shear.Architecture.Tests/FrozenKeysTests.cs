using Shear.Models;
using Shear.Pruning.Methods;
using Xunit;

namespace Shear.Architecture;

/// <summary>
/// Keys that configs and result files refer to may only grow. If this fails because a key was removed or
/// renamed, keep the old key (or bump the config schema); do not edit the golden file to make it pass.
/// </summary>
public class FrozenKeysTests
{
    [Fact]
    public void ModelZooKeys_ContainEveryGoldenKey()
    {
        var golden = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "fixtures", "golden", "model-keys.txt")).Where(l => l.Length > 0);

        Assert.All(golden, key => Assert.Contains(key, ModelZoo.All.Select(d => d.Key)));
    }

    [Fact]
    public void PruningMethodKeys_ContainEveryGoldenKey()
    {
        var golden = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "fixtures", "golden", "method-keys.txt")).Where(l => l.Length > 0);

        Assert.All(golden, key => Assert.Contains(key, PruningMethods.All.Select(m => m.Key)));
    }
}
