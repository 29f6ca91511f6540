using Shear.Experiments.Results;
using Shear.Experiments.Runs;
using Shear.Masks;
using Shear.Pruning.Methods;

namespace Shear.Cli.Commands;

/// <summary>Where a run's target sparsity comes from: <c>--sparsity</c>, another run (<c>--sparsity-of</c>), or
/// nowhere, for methods that find it themselves.</summary>
internal static class TargetSparsity
{
    public static PruningRequest Resolve(PruningRequest request, PruningMethodInfo method, bool sparsityGiven, string? sparsityOf)
    {
        if (method.ChoosesSparsity)
        {
            return sparsityGiven || sparsityOf is not null
                ? throw new UsageException($"--method {method.Key} finds each layer's sparsity itself; drop --sparsity/--sparsity-of")
                : request with { Target = SparsityTarget.Automatic };
        }
        if (sparsityOf is null)
        {
            return request;
        }
        if (sparsityGiven)
        {
            throw new UsageException("--sparsity and --sparsity-of exclude each other");
        }
        var (sparsity, source) = Read(sparsityOf);
        return request with { Target = SparsityTarget.MatchedTo(source, sparsity) };
    }

    /// <summary>The realised sparsity and method of the pruning run in <paramref name="folder"/>.</summary>
    private static (double Sparsity, string Method) Read(string folder)
    {
        string path = Path.Combine(folder, TrainingRun.ResultFile);
        if (!File.Exists(path))
        {
            throw new UsageException($"--sparsity-of {folder}: no {TrainingRun.ResultFile} there (is it a finished pruning run?)");
        }
        ResultRecord run;
        try
        {
            run = ResultFiles.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"--sparsity-of {e.Message}");
        }
        return run.Command != "prune" ? throw new UsageException($"--sparsity-of {path}: not the result of a pruning run")
            : run.Sparsity is >= 0 and < 1 ? (run.Sparsity, run.Method)
            : throw new UsageException($"--sparsity-of {path}: sparsity {run.Sparsity} is outside [0, 1)");
    }
}
