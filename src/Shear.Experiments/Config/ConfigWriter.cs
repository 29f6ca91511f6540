using System.Globalization;
using System.Text;
using Shear.Masks;
using Shear.Models;
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
        var text = new StringBuilder();
        void Line(string s) => text.Append(s).Append('\n');
        Line($"name: {c.Name}");
        Line($"data: {c.Data}");
        Line($"holdout: {N(c.Holdout)}");
        Line("model:");
        Line($"  key: {c.Model}");
        Section(ModelSettings.All, c.ModelOptions);
        Line("training:");
        Section(TrainingSettings.All, c.Training);
        Line("finetune:");
        Line($"  epochs: {N(c.FinetuneEpochs)}");
        Line($"  lr: {(c.FinetuneLearningRate is double lr ? N(lr) : "null")}");
        Line("scope:");
        Section(ScopeSettings.All, c.Scope);
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
            if (m.SparsityOf is string source)
            {
                Line($"    sparsity-of: {source}");
            }
            foreach (var setting in MethodSettings.For(m.Key))
            {
                Line($"    {setting.Key}: {setting.Show(o)}");
            }
        }
        Line($"sparsities: {List(c.Sparsities.Select(N))}");
        Line($"seeds: {List(c.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))}");
        return text.ToString();

        // The keys of a section, each in its setting's text form.
        void Section<T>(IEnumerable<ISetting<T>> settings, T options)
        {
            foreach (var setting in settings)
            {
                Line($"  {setting.Key}: {setting.Show(options)}");
            }
        }
    }

    private static string N(double value) => SettingText.Show(value);

    private static string N(int value) => SettingText.Show(value);

    private static string List(IEnumerable<string> items) => SettingText.List(items);
}
