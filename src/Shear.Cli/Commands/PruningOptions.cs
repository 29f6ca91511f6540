using System.CommandLine;
using Shear.Masks;
using Shear.Pruning.Methods;

namespace Shear.Cli.Commands;

/// <summary>The pruning flags of <c>shear prune</c>, mapped onto <see cref="PruningRequest"/>. Every flag but
/// <c>--method</c> is generated from a setting (<see cref="RequestSettings"/>, <see cref="ScopeSettings"/>,
/// <see cref="MethodSettings"/>), so the CLI and configs share one list and one parser.</summary>
internal sealed class PruningOptions
{
    private static readonly PruningRequest _defaults = new();

    private readonly SettingOptions<MethodOptions> _specific = new(MethodSettings.All, new MethodOptions(), s => string.Join(", ", MethodSettings.MethodsOf(s)) + ": ");
    private readonly SettingOptions<PruningRequest> _request = new(RequestSettings.All, _defaults);
    private readonly SettingOptions<PrunableScope> _scope = new(ScopeSettings.All, _defaults.Scope);

    public Option<string> Method { get; } = new("--method") { Description = "Pruning method", Required = true };

    public PruningOptions()
    {
        Method.AcceptOnlyFromAmong([.. PruningMethods.All.Select(m => m.Key)]);
        _request[RequestSettings.Sparsity].Aliases.Add("-s");
    }

    public void AddTo(Command command)
    {
        // The order of help: the method, its target and scope, then the budget and the method's own settings.
        Option[] general = [Method, _request[RequestSettings.Sparsity], .. _scope.All];
        foreach (var option in general.Concat(_request.All.Except(general)).Concat(_specific.All))
        {
            command.Add(option);
        }
    }

    /// <summary>Whether <c>--sparsity</c> was given.</summary>
    public bool SparsityGiven(ParseResult result) => _request.Given(result, RequestSettings.Sparsity.Key);

    /// <summary>The request, before validation; rejects a method-specific flag given to another method and names a
    /// bad value's flag.</summary>
    public PruningRequest Read(ParseResult result, Shear.Training.TrainingOptions training)
    {
        string method = result.GetValue(Method)!;
        var own = MethodSettings.For(method).ToList();
        foreach (var setting in _specific.GivenSettings(result).Where(s => !own.Contains(s)))
        {
            throw new UsageException($"--{setting.Flag} applies to {string.Join(", ", MethodSettings.MethodsOf(setting))}, not to --method {method}");
        }
        return _request.Apply(result, new PruningRequest
        {
            Scope = _scope.Apply(result, _defaults.Scope),
            Training = training,
            Method = _specific.Apply(result, new MethodOptions()),
        });
    }
}
