using Shear.Training;
using Xunit;

namespace Shear.Settings;

public class SettingTextTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("On", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("OFF", false)]
    public void ParseBool_AcceptsEverySpellingOfYaml11(string text, bool value) => Assert.Equal(value, SettingText.ParseBool(text));

    [Theory]
    [InlineData("1")]
    [InlineData("y")]
    [InlineData("")]
    public void ParseBool_Other_SaysWhatItExpected(string text)
    {
        var e = Assert.Throws<FormatException>(() => SettingText.ParseBool(text));

        Assert.Equal($"expected true or false (or yes/no, on/off), got '{text}'", e.Message);
    }

    [Theory]
    [InlineData("multi-step")]
    [InlineData("MultiStep")]
    [InlineData("multistep")]
    public void ParseEnum_TakesKebabOrTheName(string text) =>
        Assert.Equal(LearningRateScheduleKind.MultiStep, SettingText.ParseEnum<LearningRateScheduleKind>(text));

    [Fact]
    public void ParseEnum_Unknown_ListsTheKebabNames()
    {
        var e = Assert.Throws<FormatException>(() => SettingText.ParseEnum<LearningRateScheduleKind>("step"));

        Assert.Equal("expected one of constant, multi-step, cosine, got 'step'", e.Message);
    }

    [Theory]
    [InlineData("30,60")]
    [InlineData("[30, 60]")]
    [InlineData(" 30 , 60 ")]
    public void Items_ReadCommaSeparatedOrBracketed(string text) => Assert.Equal(["30", "60"], SettingText.Items(text));

    [Fact]
    public void EveryTrainingSetting_RoundTripsItsShownValueAndIsValidAtItsDefault()
    {
        var custom = new TrainingOptions
        {
            Epochs = 7, Optimizer = OptimizerKind.AdamW, Schedule = LearningRateScheduleKind.MultiStep, Milestones = [3, 5], WarmupEpochs = 0.5,
            Augmentation = new Data.AugmentationOptions { CropPadding = 4, HorizontalFlip = true },
        };

        foreach (var setting in TrainingSettings.All)
        {
            Assert.Equal(setting.Show(custom), setting.Show(setting.Parse(new TrainingOptions(), setting.Show(custom))));
            Assert.Null(setting.Check(new TrainingOptions()));
        }
        Assert.Empty(new TrainingOptions().Validate());
    }

    [Fact]
    public void TrainingValidate_NamesEachBadSettingAsItsFlag()
    {
        var problems = new TrainingOptions { Epochs = 0, Momentum = 1, Nesterov = true, Optimizer = OptimizerKind.Adam }.Validate();

        Assert.Contains("--epochs must be at least 1, got 0", problems);
        Assert.Contains("--momentum must be in [0, 1), got 1", problems);
        Assert.Contains("--nesterov needs SGD with momentum > 0", problems);
    }
}
