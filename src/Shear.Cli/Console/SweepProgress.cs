using System.Globalization;
using Shear.Experiments.Sweeps;
using Shear.Training;
using Spectre.Console;

namespace Shear.Cli.Console;

/// <summary>Live sweep display: runs done / running / left with ETA, and the current run's epochs.</summary>
internal sealed class SweepProgress : ISweepObserver, ITrainingObserver
{
    private readonly ProgressContext _context;
    private ProgressTask? _sweep;
    private ProgressTask? _epoch;
    private string _run = "";
    private string _step = "";

    private SweepProgress(ProgressContext context) => _context = context;

    public static T Show<T>(Func<ITrainingObserver, SweepProgress, T> work)
    {
        T result = default!;
        AnsiConsole.Progress().AutoClear(false).HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var progress = new SweepProgress(context);
                result = work(progress, progress);
            });
        return result;
    }

    public void StartStep(string step) => _step = Markup.Escape(step) + " ";

    public void OnPlan(int total, int done)
    {
        _sweep = _context.AddTask(Describe(done, total), maxValue: Math.Max(1, total));
        _sweep.Value = done;
    }

    public void OnRunStart(RunSpec run)
    {
        _run = Markup.Escape(run.Folder) + " ";
        _step = "";
        if (_sweep is not null)
        {
            _sweep.Description = Describe((int)_sweep.Value, (int)_sweep.MaxValue, running: true);
        }
    }

    public void OnRunEnd(RunSpec run)
    {
        if (_sweep is not null)
        {
            _sweep.Increment(1);
            _sweep.Description = Describe((int)_sweep.Value, (int)_sweep.MaxValue);
        }
    }

    public void OnEpochStart(int epoch, int batches) => _epoch = _context.AddTask($"{_run}{_step}epoch {epoch}", maxValue: batches);

    public void OnBatch(int epoch, int batch, double loss)
    {
        if (_epoch is not null)
        {
            _epoch.Value = batch;
        }
    }

    public void OnEpochEnd(EpochRecord record)
    {
        if (_epoch is not null)
        {
            _epoch.Description = string.Create(CultureInfo.InvariantCulture, $"{_run}{_step}epoch {record.Epoch} test {record.TestAccuracy * 100:F2} %");
            _epoch.StopTask();
        }
    }

    private static string Describe(int done, int total, bool running = false) =>
        $"sweep: {done} done, {(running ? 1 : 0)} running, {total - done - (running ? 1 : 0)} left";
}
