using System.CommandLine;
using Shear.Masks;
using Shear.Pruning.Methods;
using Shear.Pruning.Selection;

namespace Shear.Cli.Commands;

/// <summary>The pruning flags of <c>shear prune</c>, mapped onto <see cref="PruningRequest"/>.</summary>
internal sealed class PruningOptions
{
    private static readonly PruningRequest _defaults = new();
    private static readonly MethodOptions _method = new();

    public Option<string> Method { get; } = new("--method") { Description = "Pruning method", Required = true };
    public Option<double> Sparsity { get; } = new("--sparsity", "-s") { Description = "Fraction of the counted weights to remove, in [0, 1)", DefaultValueFactory = _ => _defaults.Sparsity };
    public Option<int> FinetuneEpochs { get; } = new("--finetune-epochs") { Description = "Fine-tune epochs F after one-shot pruning (at-init methods train E + F)", DefaultValueFactory = _ => _defaults.FinetuneEpochs };
    public Option<double?> FinetuneLearningRate { get; } = new("--finetune-lr") { Description = "Base learning rate of fine-tuning (default: --lr)" };
    public Option<SelectionKind> Selection { get; } = new("--selection") { Description = "global | layerwise ranking", DefaultValueFactory = _ => _defaults.Selection };
    public Option<PrunableKinds> Scope { get; } = new("--scope") { Description = "Which weights are pruned and counted: ConvAndLinear | Conv | Linear", DefaultValueFactory = _ => PrunableKinds.ConvAndLinear };
    public Option<string?> ExcludeLayers { get; } = new("--exclude-layers") { Description = "Layers left dense and uncounted, comma-separated (e.g. conv1,fc3)" };
    public Option<CollapsePolicy> OnCollapse { get; } = new("--on-collapse") { Description = "warn | fail when a layer loses every weight", DefaultValueFactory = _ => _defaults.OnCollapse };
    public Option<double> LthRate { get; } = new("--lth-rate") { Description = "lth: fraction of remaining weights pruned per round", DefaultValueFactory = _ => _method.LthRate };
    public Option<int?> LthRounds { get; } = new("--lth-rounds") { Description = "lth: rounds (default: fewest rounds of --lth-rate reaching --sparsity)" };
    public Option<long> RewindStep { get; } = new("--rewind-step") { Description = "lth: rewind survivors to their weights after this optimizer step (0 = initial)", DefaultValueFactory = _ => _method.RewindStep };
    public Option<int> SnipBatch { get; } = new("--snip-batch") { Description = "snip: samples in the scoring batch", DefaultValueFactory = _ => _method.SnipBatch };
    public Option<int> GraspSamples { get; } = new("--grasp-samples-per-class") { Description = "grasp: samples per class in the scoring batch", DefaultValueFactory = _ => _method.GraspSamplesPerClass };
    public Option<double> GraspTemperature { get; } = new("--grasp-temperature") { Description = "grasp: logit temperature", DefaultValueFactory = _ => _method.GraspTemperature };
    public Option<int> SynFlowIterations { get; } = new("--synflow-iterations") { Description = "synflow: scoring iterations", DefaultValueFactory = _ => _method.SynFlowIterations };
    public Option<int> GmpFrequency { get; } = new("--gmp-frequency") { Description = "gmp: optimizer steps between pruning events", DefaultValueFactory = _ => _method.GmpFrequency };

    public PruningOptions() => Method.AcceptOnlyFromAmong([.. PruningMethods.All.Select(m => m.Key)]);

    /// <summary>Method-specific flags and the methods that read them.</summary>
    private IEnumerable<(Option Option, string[] Methods)> Specific() =>
    [
        (LthRate, ["lth"]), (LthRounds, ["lth"]), (RewindStep, ["lth"]), (SnipBatch, ["snip"]),
        (GraspSamples, ["grasp"]), (GraspTemperature, ["grasp"]), (SynFlowIterations, ["synflow"]), (GmpFrequency, ["gmp"]),
    ];

    public void AddTo(Command command)
    {
        Option[] general = [Method, Sparsity, FinetuneEpochs, FinetuneLearningRate, Selection, Scope, ExcludeLayers, OnCollapse];
        foreach (var option in general.Concat(Specific().Select(s => s.Option)))
        {
            command.Add(option);
        }
    }

    /// <summary>The request; rejects a method-specific flag given to another method.</summary>
    public PruningRequest Read(ParseResult result, Shear.Training.TrainingOptions training)
    {
        string method = result.GetValue(Method)!;
        foreach (var (option, methods) in Specific())
        {
            if (result.GetResult(option) is { Implicit: false } && !methods.Contains(method))
            {
                throw new UsageException($"{option.Name} applies to {string.Join(", ", methods)}, not to --method {method}");
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
            Method = new MethodOptions
            {
                LthRate = result.GetValue(LthRate),
                LthRounds = result.GetValue(LthRounds),
                RewindStep = result.GetValue(RewindStep),
                SnipBatch = result.GetValue(SnipBatch),
                GraspSamplesPerClass = result.GetValue(GraspSamples),
                GraspTemperature = result.GetValue(GraspTemperature),
                SynFlowIterations = result.GetValue(SynFlowIterations),
                GmpFrequency = result.GetValue(GmpFrequency),
            },
        };
    }
}
