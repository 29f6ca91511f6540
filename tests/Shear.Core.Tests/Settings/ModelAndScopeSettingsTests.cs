using Shear.Masks;
using Shear.Models;
using Xunit;

namespace Shear.Settings;

/// <summary>The architecture and scope settings: shown values read back, defaults are valid, ranges name the flag,
/// and a setting whose flag is older than its config key keeps both spellings.</summary>
public class ModelAndScopeSettingsTests
{
    [Fact]
    public void EveryModelAndScopeSetting_RoundTripsItsShownValueAndIsValidAtItsDefault()
    {
        var model = new ModelOptions { Widths = [16, 8], Stem = ResNetStem.ImageNet, Width = 0.25 };
        var scope = new PrunableScope { Kinds = PrunableKinds.Conv, ExcludedLayers = ["conv1", "fc3"] };

        Assert.All(ModelSettings.All, s => Assert.Equal(s.Show(model), s.Show(s.Parse(new ModelOptions(), s.Show(model)))));
        Assert.All(ScopeSettings.All, s => Assert.Equal(s.Show(scope), s.Show(s.Parse(PrunableScope.Default, s.Show(scope)))));
        Assert.Empty(new ModelOptions().Validate());
        Assert.Empty(ScopeSettings.All.Problems(PrunableScope.Default));
    }

    [Theory]
    [InlineData("widths", "300,100", "[300, 100]")]
    [InlineData("widths", "[32]", "[32]")]
    [InlineData("widths", "null", "null")]
    [InlineData("widths", "", "null")]
    [InlineData("stem", "imagenet", "image-net")]
    [InlineData("width", "0.5", "0.5")]
    public void ModelSettings_ParseTheCliAndConfigSpellings(string key, string text, string shown)
    {
        var setting = ModelSettings.All.Single(s => s.Key == key);

        Assert.Equal(shown, setting.Show(setting.Parse(new ModelOptions(), text)));
    }

    [Fact]
    public void ModelValidate_NamesEachBadSettingAsItsFlag()
    {
        var problems = new ModelOptions { Widths = [16, 0], Width = 9 }.Validate();

        Assert.Equal(["--widths must list positive integers, got [16, 0]", "--width must be in (0, 8], got 9"], problems);
        Assert.Equal(["--widths must list positive integers, got []"], new ModelOptions { Widths = [] }.Validate());
    }

    [Fact]
    public void ScopeKinds_IsTheKindsKeyAndTheScopeFlag()
    {
        var kinds = ScopeSettings.Kinds;

        Assert.Equal(("kinds", "scope"), (kinds.Key, kinds.Flag));
        Assert.Equal(("exclude-layers", "exclude-layers"), (ScopeSettings.ExcludedLayers.Key, ScopeSettings.ExcludedLayers.Flag));
        Assert.Equal(["conv1", "fc3"], ScopeSettings.ExcludedLayers.Parse(PrunableScope.Default, " conv1, fc3 ").ExcludedLayers);
    }
}
