using Shear.Settings;

namespace Shear.Models;

/// <summary>The settings of <see cref="ModelOptions"/>, declared once for the flags of the verbs that build a zoo
/// model, the <c>model:</c> section of configs (beside its <c>key</c>), <c>config show</c> and validation.</summary>
public static class ModelSettings
{
    private static readonly SettingKinds<ModelOptions> _s = new();

    /// <summary>Every setting, in help and config order.</summary>
    public static IReadOnlyList<ISetting<ModelOptions>> All { get; } =
    [
        _s.OptionalWholeNumberList("widths", "MLP hidden widths, e.g. 300,100 (default: LeNet-300-100's)", o => o.Widths, (o, v) => o with { Widths = v },
            (_, v) => v is null || (v.Count > 0 && v.All(w => w >= 1)) ? null
                : SettingRange.Problem("must list positive integers", SettingText.List(v.Select(w => SettingText.Show(w))))),
        _s.Choice<ResNetStem>("stem", "auto | cifar | image-net stem of ResNet-18/34/50 (auto: image-net from 64 px)", o => o.Stem, (o, v) => o with { Stem = v }),
        _s.Number("width", "channel multiplier of conv2/4/6, VGG and CIFAR ResNet (resnet20 to resnet110) convolutions (1 = published widths)",
            o => o.Width, (o, v) => o with { Width = v }, SettingRange.Within<ModelOptions>($"(0, {SettingText.Show(ModelOptions.MaxWidth)}]", ModelOptions.IsValidWidth)),
    ];
}
