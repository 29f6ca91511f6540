using System.Diagnostics;
using System.Text.Json;
using Shear.Data;
using Shear.Experiments.Config;
using Shear.Experiments.Results;
using Shear.Experiments.Runs;
using Shear.IO;
using Shear.Pruning.Methods;
using Shear.Training;
using static TorchSharp.torch;

namespace Shear.Experiments.Sweeps;

/// <summary>Receives sweep progress.</summary>
public interface ISweepObserver
{
    /// <summary>The shard holds <paramref name="total"/> runs, <paramref name="done"/> of them already finished.</summary>
    public void OnPlan(int total, int done) { }

    /// <summary>A run starts (or resumes).</summary>
    public void OnRunStart(RunSpec run) { }

    /// <summary>A run finished.</summary>
    public void OnRunEnd(RunSpec run) { }
}

/// <summary>
/// Executes an experiment's runs into <c>&lt;results&gt;/&lt;name&gt;/&lt;run folder&gt;/</c>. A finished run (its
/// <c>result.json</c> exists) is never redone; an interrupted one resumes from its last checkpoint. Dense runs that
/// another shard needs are computed by whichever shard gets there first, under a lock file.
/// </summary>
public sealed class SweepRunner(ExperimentConfig config, DataSplit data, string resultsRoot)
{
    /// <summary>Where tensors live.</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>Epoch-level progress of the current run.</summary>
    public ITrainingObserver? Observer { get; init; }

    /// <summary>Run-level progress.</summary>
    public ISweepObserver? Progress { get; init; }

    /// <summary>Called with the step name as a pruning run moves between phases.</summary>
    public Action<string>? OnStep { get; init; }

    /// <summary>The experiment's folder.</summary>
    public string Folder => Path.Combine(resultsRoot, config.Name);

    /// <summary>Every run of the experiment.</summary>
    public IReadOnlyList<RunSpec> Plan() => SweepPlan.Expand(config, data.Name, data.Train.Shape, data.Train.ClassCount);

    /// <summary>Runs shard <paramref name="shard"/> of <paramref name="shards"/> (1 of 1: everything).</summary>
    public IReadOnlyList<RunSpec> Run(int shard = 1, int shards = 1)
    {
        var plan = Plan();
        var mine = SweepPlan.Shard(plan, shard, shards);
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteAllText(Path.Combine(Folder, "experiment.yaml"), ConfigWriter.Write(config));
        Progress?.OnPlan(mine.Count, mine.Count(IsDone));
        var byId = plan.ToDictionary(r => r.Id);
        foreach (var run in mine)
        {
            if (IsDone(run))
            {
                continue;
            }
            Progress?.OnRunStart(run);
            // The run a pending target copies from comes first (whichever shard it belongs to), then the dense run.
            var resolved = run;
            if (run.MatchId is string match)
            {
                var source = byId[match];
                EnsureWithDense(source, byId);
                resolved = run with { Request = Resolved(run.Request!, source) };
            }
            EnsureWithDense(resolved, byId);
            Progress?.OnRunEnd(run);
        }
        return mine;
    }

    /// <summary>The folder of <paramref name="run"/>.</summary>
    public string RunFolder(RunSpec run) => Path.Combine(Folder, run.Folder);

    private void EnsureWithDense(RunSpec run, Dictionary<string, RunSpec> byId)
    {
        var dense = run.DenseId is string id ? byId[id] : null;
        if (dense is not null)
        {
            Ensure(dense, null);
        }
        Ensure(run, dense);
    }

    // A pending target takes the realised sparsity of its source, read from the source's result.json.
    private PruningRequest Resolved(PruningRequest request, RunSpec source)
    {
        var result = ResultFiles.Read(Path.Combine(RunFolder(source), TrainingRun.ResultFile));
        return request with { Target = request.Target.Resolve(result.Sparsity) };
    }

    private bool IsDone(RunSpec run) => File.Exists(Path.Combine(RunFolder(run), TrainingRun.ResultFile));

    private void Ensure(RunSpec run, RunSpec? dense)
    {
        string folder = RunFolder(run);
        using var runLock = RunLock.Acquire(folder, () => IsDone(run));
        if (runLock is null || IsDone(run))
        {
            return;
        }
        AtomicFile.WriteAllText(Path.Combine(folder, ResultFiles.RunMarker), JsonSerializer.Serialize(
            new { experiment = config.Name, id = run.Id, spec = run }, RunResult.JsonOptions));
        if (run.Method is null)
        {
            new TrainingRun(folder, run.Card, data, run.Training) { Device = Device, Observer = Observer }.Execute(resume: true);
            return;
        }
        new PruningRun(folder, run.Card, data, run.Request!, PruningMethods.Get(run.Method))
        {
            Device = Device,
            From = dense is null ? null : RunFolder(dense),
            Observer = Observer,
            OnStep = OnStep,
        }.Execute(resume: true);
    }
}

/// <summary>A lock file in a run folder so that two shards never run the same run at once.</summary>
internal sealed class RunLock : IDisposable
{
    private readonly string _path;

    private RunLock(string path) => _path = path;

    /// <summary>Takes the lock, waiting while a live process holds it; returns null when <paramref name="done"/>
    /// becomes true meanwhile. A lock left by a dead process on this host is taken over.</summary>
    public static RunLock? Acquire(string folder, Func<bool> done)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, ".lock");
        while (true)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write($"{Environment.ProcessId} {Environment.MachineName}");
                }
                return new RunLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (done())
                {
                    return null;
                }
                if (IsStale(path))
                {
                    File.Delete(path);
                    continue;
                }
                Thread.Sleep(2000);
            }
        }
    }

    public void Dispose() => File.Delete(_path);

    private static bool IsStale(string path)
    {
        string[] owner = File.ReadAllText(path).Split(' ');
        if (owner.Length != 2 || owner[1] != Environment.MachineName || !int.TryParse(owner[0], out int pid))
        {
            return false;
        }
        if (pid == Environment.ProcessId)
        {
            return true;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
