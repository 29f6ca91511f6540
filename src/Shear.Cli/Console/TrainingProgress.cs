using System.Globalization;
using Shear.Training;
using Spectre.Console;

namespace Shear.Cli.Console;

/// <summary>Draws training progress with Spectre.Console: a bar per epoch and one line per finished epoch.</summary>
internal sealed class TrainingProgress : ITrainingObserver
{
    private readonly ProgressContext _context;
    private ProgressTask? _epoch;
    private string _step = "";

    private TrainingProgress(ProgressContext context) => _context = context;

    /// <summary>Runs <paramref name="work"/> with a live display fed by the observer it is given.</summary>
    public static T Show<T>(Func<ITrainingObserver, T> work)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(context => result = work(new TrainingProgress(context)));
        return result;
    }

    /// <summary>Names the phase or step that follows (pruning runs have several).</summary>
    public void StartStep(string step) => _step = Markup.Escape(step) + " ";

    public void OnEpochStart(int epoch, int batches)
    {
        _epoch = _context.AddTask($"{_step}epoch {epoch}", maxValue: batches);
    }

    public void OnBatch(int epoch, int batch, double loss)
    {
        if (_epoch is not null)
        {
            _epoch.Value = batch;
            _epoch.Description = string.Create(CultureInfo.InvariantCulture, $"{_step}epoch {epoch} loss {loss:F4}");
        }
    }

    public void OnEpochEnd(EpochRecord record)
    {
        if (_epoch is not null)
        {
            _epoch.Description = string.Create(CultureInfo.InvariantCulture,
                $"{_step}epoch {record.Epoch} loss {record.TrainLoss:F4} test {record.TestAccuracy * 100:F2} % ({record.ImagesPerSecond:F0} img/s)");
            _epoch.StopTask();
        }
    }
}
