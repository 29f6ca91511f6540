using System.CommandLine;
using Shear.Masks;
using Shear.Pruning.Methods;
using Shear.Pruning.Selection;

namespace Shear.Cli.Commands;

/// <summary>The pruning flags of <c>shear prune</c>, mapped onto <see cref="PruningRequest"/>. Method-specific
/// flags come from <see cref="MethodSettings"/>, so the CLI and configs share one list.</summary>
internal sealed class PruningOptions
{
    private static readonly PruningRequest _defaults = new();
    private static readonly MethodOptions _method = new();

    private readonly List<(Option Option, MethodSetting Setting)> _specific = [.. MethodSettings.All.Select(s => (s.IsFlag
        ? (Option)new Option<bool>("--" + s.Key) { Description = $"{string.Join(", ", s.Methods)}: {s.Description}" }
        : new Option<string?>("--" + s.Key) { Description = $"{string.Join(", ", s.Methods)}: {s.Description} [default: {s.Show(_method)}]" }, s))];

    public Option<string> Method { get; } = new("--method") { Description = "Pruning method", Required = true };
    public Option<double> Sparsity { get; } = new("--sparsity", "-s") { Description = "Fraction of the counted weights to remove, in [0, 1)", DefaultValueFactory = _ => _defaults.Sparsity };
    public Option<int> FinetuneEpochs { get; } = new("--finetune-epochs") { Description = "Fine-tune epochs F after one-shot pruning (at-init methods train E + F)", DefaultValueFactory = _ => _defaults.FinetuneEpochs };
    public Option<double?> FinetuneLearningRate { get; } = new("--finetune-lr") { Description = "Base learning rate of fine-tuning (default: --lr)" };
    public Option<SelectionKind> Selection { get; } = new("--selection") { Description = "global | layerwise ranking", DefaultValueFactory = _ => _defaults.Selection };
    public Option<PrunableKinds> Scope { get; } = new("--scope") { Description = "Which weights are pruned and counted: ConvAndLinear | Conv | Linear", DefaultValueFactory = _ => PrunableKinds.ConvAndLinear };
    public Option<string?> ExcludeLayers { get; } = new("--exclude-layers") { Description = "Layers left dense and uncounted, comma-separated (e.g. conv1,fc3)" };
    public Option<CollapsePolicy> OnCollapse { get; } = new("--on-collapse") { Description = "warn | fail when a layer loses every weight", DefaultValueFactory = _ => _defaults.OnCollapse };

    public PruningOptions() => Method.AcceptOnlyFromAmong([.. PruningMethods.All.Select(m => m.Key)]);

    public void AddTo(Command command)
    {
        Option[] general = [Method, Sparsity, FinetuneEpochs, FinetuneLearningRate, Selection, Scope, ExcludeLayers, OnCollapse];
        foreach (var option in general.Concat(_specific.Select(s => s.Option)))
        {
            command.Add(option);
        }
    }

    /// <summary>The request; rejects a method-specific flag given to another method and names a bad value's flag.</summary>
    public PruningRequest Read(ParseResult result, Shear.Training.TrainingOptions training)
    {
        string method = result.GetValue(Method)!;
        var options = new MethodOptions();
        foreach (var (option, setting) in _specific.Where(s => result.GetResult(s.Option) is { Implicit: false }))
        {
            if (!setting.Methods.Contains(method))
            {
                throw new UsageException($"{option.Name} applies to {string.Join(", ", setting.Methods)}, not to --method {method}");
            }
            string? text = option is Option<bool> flag ? (result.GetValue(flag) ? "true" : "false") : result.GetValue((Option<string?>)option);
            try
            {
                options = setting.Parse(options, text ?? "");
            }
            catch (FormatException e)
            {
                throw new UsageException($"{option.Name}: {e.Message}");
            }
        }
        string? excluded = result.GetValue(ExcludeLayers);
        return new PruningRequest
        {
            Sparsity = result.GetValue(Sparsity),
            Selection = result.GetValue(Selection),
            Scope = new PrunableScope
            {
                Kinds = result.GetValue(Scope),
                ExcludedLayers = excluded is null ? [] : excluded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            },
            Training = training,
            FinetuneEpochs = result.GetValue(FinetuneEpochs),
            FinetuneLearningRate = result.GetValue(FinetuneLearningRate),
            OnCollapse = result.GetValue(OnCollapse),
            Method = options,
        };
    }
}
