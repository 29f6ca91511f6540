using System.Globalization;
using System.Text;
using Shear.Pruning.Methods;

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
        Line("model:");
        Line($"  key: {c.Model}");
        Line($"  widths: {(c.ModelOptions.Widths is null ? "null" : List(c.ModelOptions.Widths.Select(N)))}");
        Line($"  stem: {Names.Kebab(c.ModelOptions.Stem.ToString())}");
        Line($"  width: {N(c.ModelOptions.Width)}");
        Line("training:");
        Line($"  epochs: {N(t.Epochs)}");
        Line($"  batch: {N(t.BatchSize)}");
        Line($"  eval-batch: {N(t.EvaluationBatchSize)}");
        Line($"  optimizer: {Names.Kebab(t.Optimizer.ToString())}");
        Line($"  lr: {N(t.LearningRate)}");
        Line($"  momentum: {N(t.Momentum)}");
        Line($"  nesterov: {B(t.Nesterov)}");
        Line($"  weight-decay: {N(t.WeightDecay)}");
        Line($"  schedule: {Names.Kebab(t.Schedule.ToString())}");
        Line($"  milestones: {List(t.Milestones.Select(N))}");
        Line($"  gamma: {N(t.Gamma)}");
        Line($"  warmup: {N(t.WarmupEpochs)}");
        Line($"  label-smoothing: {N(t.LabelSmoothing)}");
        Line($"  crop-padding: {N(t.Augmentation.CropPadding)}");
        Line($"  flip: {B(t.Augmentation.HorizontalFlip)}");
        Line("finetune:");
        Line($"  epochs: {N(c.FinetuneEpochs)}");
        Line($"  lr: {(c.FinetuneLearningRate is double lr ? N(lr) : "null")}");
        Line("scope:");
        Line($"  kinds: {Names.Kebab(c.Scope.Kinds.ToString())}");
        Line($"  exclude-layers: {List(c.Scope.ExcludedLayers)}");
        Line($"on-collapse: {Names.Kebab(c.OnCollapse.ToString())}");
        Line("methods:");
        foreach (var m in c.Methods)
        {
            var o = m.Options;
            Line($"  - method: {m.Key}");
            Line($"    selection: {Names.Kebab(m.Selection.ToString())}");
            foreach (var setting in MethodSettings.For(m.Key))
            {
                Line($"    {setting.Key}: {setting.Show(o)}");
            }
        }
        Line($"sparsities: {List(c.Sparsities.Select(N))}");
        Line($"seeds: {List(c.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))}");
        return text.ToString();
    }

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string B(bool value) => value ? "true" : "false";

    private static string List(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";
}
