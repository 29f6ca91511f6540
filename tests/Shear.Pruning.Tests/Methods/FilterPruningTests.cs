using Xunit;

namespace Shear.Pruning.Methods;

/// <summary>l1-filter's per-layer ratios.</summary>
public class FilterPruningTests
{
    [Fact]
    public void LayerRatios_Malformed_NamesTheFlagAndEntry()
    {
        var error = Assert.Throws<ArgumentException>(() => FilterPruning.LayerRatios("conv1=0.5,fc1=2"));

        Assert.Contains("--l1-layer-ratios: 'fc1=2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LayerRatios_WellFormed_MapsEachLayerToItsRatio()
    {
        var ratios = FilterPruning.LayerRatios(" conv1=0.5, fc1 = 0.25 ");

        Assert.Equal(new Dictionary<string, double> { ["conv1"] = 0.5, ["fc1"] = 0.25 }, ratios);
    }
}
