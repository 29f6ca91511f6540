using System.CommandLine;
using Shear.Masks;
using Shear.Pruning.Methods;

namespace Shear.Cli.Commands;

/// <summary>The pruning flags of <c>shear prune</c>, mapped onto <see cref="PruningRequest"/>. Method-specific
/// flags are generated from <see cref="MethodSettings"/>, so the CLI and configs share one list and one parser.</summary>
internal sealed class PruningOptions
{
    private static readonly PruningRequest _defaults = new();

    private readonly SettingOptions<MethodOptions> _specific = new(MethodSettings.All, new MethodOptions(), s => string.Join(", ", MethodSettings.MethodsOf(s)) + ": ");

    public Option<string> Method { get; } = new("--method") { Description = "Pruning method", Required = true };
    public Option<double> Sparsity { get; } = new("--sparsity", "-s") { Description = "Fraction of the counted weights to remove, in [0, 1)", DefaultValueFactory = _ => _defaults.Sparsity };
    private readonly SettingOptions<PruningRequest> _request = new(RequestSettings.All, _defaults);
    public Option<PrunableKinds> Scope { get; } = EnumOption.Create("--scope", "Which weights are pruned and counted", PrunableKinds.ConvAndLinear);
    public Option<string?> ExcludeLayers { get; } = new("--exclude-layers") { Description = "Layers left dense and uncounted, comma-separated (e.g. conv1,fc3)" };

    public PruningOptions() => Method.AcceptOnlyFromAmong([.. PruningMethods.All.Select(m => m.Key)]);

    public void AddTo(Command command)
    {
        Option[] general = [Method, Sparsity, Scope, ExcludeLayers];
        foreach (var option in general.Concat(_request.All).Concat(_specific.All))
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
        return _request.Apply(result, new PruningRequest
        {
            Sparsity = result.GetValue(Sparsity),
            Scope = new PrunableScope
            {
                Kinds = result.GetValue(Scope),
                ExcludedLayers = excluded is null ? [] : excluded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            },
            Training = training,
            Method = options,
        });
    }
}
