using Shear.Settings;
using Xunit;

namespace Shear.Pruning.Methods;

/// <summary>l1-filter's per-layer ratios.</summary>
public class FilterPruningTests
{
    private static ISetting<MethodOptions> Setting => FilterPruningSettings.All.Single(s => s.Key == "l1-layer-ratios");

    [Fact]
    public void LayerRatios_Malformed_NamesTheEntry_AndTheSettingRefusesThem()
    {
        var error = Assert.Throws<FormatException>(() => LayerRatios.Parse("conv1=0.5,fc1=2"));
        var viaSetting = Assert.Throws<FormatException>(() => Setting.Parse(new MethodOptions(), "conv1=0.5,fc1=2"));

        // The surface names the flag or key in front: "--l1-layer-ratios: 'fc1=2' …" (PruneCommandTests, ConfigSettingsTests).
        Assert.Equal("'fc1=2' is not layer=ratio with a ratio in [0, 1)", error.Message);
        Assert.Equal(error.Message, viaSetting.Message);
    }

    [Fact]
    public void LayerRatios_WellFormed_MapsEachLayerToItsRatio()
    {
        var ratios = LayerRatios.Parse(" conv1=0.5, fc1 = 0.25 ");

        Assert.Equal(new Dictionary<string, double> { ["conv1"] = 0.5, ["fc1"] = 0.25 }, ratios.Ratios);
    }

    [Fact]
    public void LayerRatios_ParsedOnceByTheSetting_KeepTheirTextForResultsAndRunIds()
    {
        var options = Setting.Parse(new MethodOptions(), " conv1=0.5, fc1 = 0.25 ");

        Assert.Equal(0.25, options.L1Ratios!.Ratios["fc1"]);
        Assert.Equal(" conv1=0.5, fc1 = 0.25 ".Trim(), options.L1LayerRatios);
        Assert.Equal(options, new MethodOptions { L1LayerRatios = "conv1=0.5, fc1 = 0.25" });
        Assert.Equal("null", Setting.Show(new MethodOptions()));
    }
}
