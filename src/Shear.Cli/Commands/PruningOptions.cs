using System.CommandLine;
using Shear.Masks;
using Shear.Pruning.Methods;
using Shear.Pruning.Selection;

namespace Shear.Cli.Commands;

/// <summary>The pruning flags of <c>shear prune</c>, mapped onto <see cref="PruningRequest"/>. Method-specific
/// flags are generated from <see cref="MethodSettings"/>, so the CLI and configs share one list and one parser.</summary>
internal sealed class PruningOptions
{
    private static readonly PruningRequest _defaults = new();

    private readonly SettingOptions<MethodOptions> _specific = new(MethodSettings.All, new MethodOptions(), s => string.Join(", ", MethodSettings.MethodsOf(s)) + ": ");

    public Option<string> Method { get; } = new("--method") { Description = "Pruning method", Required = true };
    public Option<double> Sparsity { get; } = new("--sparsity", "-s") { Description = "Fraction of the counted weights to remove, in [0, 1)", DefaultValueFactory = _ => _defaults.Sparsity };
    public Option<int> FinetuneEpochs { get; } = new("--finetune-epochs") { Description = "Fine-tune epochs F after one-shot pruning (at-init methods train E + F)", DefaultValueFactory = _ => _defaults.FinetuneEpochs };
    public Option<double?> FinetuneLearningRate { get; } = new("--finetune-lr") { Description = "Base learning rate of fine-tuning (default: --lr)" };
    public Option<SelectionKind> Selection { get; } = EnumOption.Create("--selection", "Ranking", _defaults.Selection);
    public Option<PrunableKinds> Scope { get; } = EnumOption.Create("--scope", "Which weights are pruned and counted", PrunableKinds.ConvAndLinear);
    public Option<string?> ExcludeLayers { get; } = new("--exclude-layers") { Description = "Layers left dense and uncounted, comma-separated (e.g. conv1,fc3)" };
    public Option<CollapsePolicy> OnCollapse { get; } = EnumOption.Create("--on-collapse", "When a layer loses every weight", _defaults.OnCollapse);

    public PruningOptions() => Method.AcceptOnlyFromAmong([.. PruningMethods.All.Select(m => m.Key)]);

    public void AddTo(Command command)
    {
        Option[] general = [Method, Sparsity, FinetuneEpochs, FinetuneLearningRate, Selection, Scope, ExcludeLayers, OnCollapse];
        foreach (var option in general.Concat(_specific.All))
        {
            command.Add(option);
        }
    }

    /// <summary>The request; rejects a method-specific flag given to another method and names a bad value's flag.</summary>
    public PruningRequest Read(ParseResult result, Shear.Training.TrainingOptions training)
    {
        string method = result.GetValue(Method)!;
        var own = MethodSettings.For(method).ToList();
        foreach (var setting in _specific.GivenSettings(result).Where(s => !own.Contains(s)))
        {
            throw new UsageException($"--{setting.Key} applies to {string.Join(", ", MethodSettings.MethodsOf(setting))}, not to --method {method}");
        }
        var options = _specific.Apply(result, new MethodOptions());
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
