using System.Globalization;
using System.Text;
using Shear.Pruning.Methods;
using Shear.Settings;
using Shear.Training;

namespace Shear.Experiments.Config;

/// <summary>Writes the resolved config as YAML with every default explicit (<c>shear config show</c>); loading the
/// output gives the same config.</summary>
public static class ConfigWriter
{
    /// <summary>The resolved YAML text of <paramref name="c"/>.</summary>
    public static string Write(ExperimentConfig c)
    {
        var t = c.Training;
        var text = new StringBuilder();
        void Line(string s) => text.Append(s).Append('\n');
        Line($"name: {c.Name}");
        Line($"data: {c.Data}");
        Line($"holdout: {N(c.Holdout)}");
        Line("model:");
        Line($"  key: {c.Model}");
        Line($"  widths: {(c.ModelOptions.Widths is null ? "null" : List(c.ModelOptions.Widths.Select(N)))}");
        Line($"  stem: {SettingText.Kebab(c.ModelOptions.Stem.ToString())}");
        Line($"  width: {N(c.ModelOptions.Width)}");
        Line("training:");
        foreach (var setting in TrainingSettings.All)
        {
            Line($"  {setting.Key}: {setting.Show(t)}");
        }
        Line("finetune:");
        Line($"  epochs: {N(c.FinetuneEpochs)}");
        Line($"  lr: {(c.FinetuneLearningRate is double lr ? N(lr) : "null")}");
        Line("scope:");
        Line($"  kinds: {SettingText.Kebab(c.Scope.Kinds.ToString())}");
        Line($"  exclude-layers: {List(c.Scope.ExcludedLayers)}");
        Line($"on-collapse: {SettingText.Kebab(c.OnCollapse.ToString())}");
        Line("methods:");
        foreach (var m in c.Methods)
        {
            var o = m.Options;
            Line($"  - method: {m.Key}");
            Line($"    selection: {SettingText.Kebab(m.Selection.ToString())}");
            // A method's own budget only where it has one: null would read as "no epochs".
            if (m.Epochs is int epochs)
            {
                Line($"    epochs: {N(epochs)}");
            }
            if (m.FinetuneEpochs is int finetune)
            {
                Line($"    finetune-epochs: {N(finetune)}");
            }
            if (m.FinetuneLearningRate is double rate)
            {
                Line($"    finetune-lr: {N(rate)}");
            }
            if (m.Sparsities is { } sparsities)
            {
                Line($"    sparsities: {List(sparsities.Select(N))}");
            }
            foreach (var setting in MethodSettings.For(m.Key))
            {
                Line($"    {setting.Key}: {setting.Show(o)}");
            }
        }
        Line($"sparsities: {List(c.Sparsities.Select(N))}");
        Line($"seeds: {List(c.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))}");
        return text.ToString();
    }

    private static string N(double value) => SettingText.Show(value);

    private static string N(int value) => SettingText.Show(value);

    private static string List(IEnumerable<string> items) => SettingText.List(items);
}
