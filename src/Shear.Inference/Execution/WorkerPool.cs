namespace Shear.Inference.Execution;

/// <summary>Work that a <see cref="WorkerPool"/> splits into numbered items (a step implements it itself, so
/// handing it to the pool allocates nothing).</summary>
internal interface IParallelWork
{
    /// <summary>Runs item <paramref name="item"/>; items run in any order, each once.</summary>
    public void RunItem(int item);
}

/// <summary>
/// Threads kept for one model's passes: <c>threads − 1</c> workers wait on a semaphore and, with the caller,
/// take items from a shared counter. Unlike <see cref="Parallel.For(int, int, Action{int})"/> it allocates nothing
/// per call, so a pass on several threads allocates nothing either. Workers are background threads, ended by
/// <see cref="Dispose"/> (the semaphores are left to the finaliser: a worker may still be leaving its wait).
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private volatile bool _stopping;
    private readonly SemaphoreSlim _start = new(0);
    private readonly CountdownEvent _done = new(1);
    private IParallelWork? _work;
    private int _items;
    private int _next;

    /// <summary>A pool of <paramref name="threads"/> (the caller included).</summary>
    public WorkerPool(int threads)
    {
        Threads = threads;
        for (int i = 1; i < threads; i++)
        {
            new Thread(Work) { IsBackground = true, Name = $"shear-inference-{i}" }.Start();
        }
    }

    /// <summary>Threads that share the items, the caller's included.</summary>
    public int Threads { get; }

    /// <summary>Runs items <c>0 .. items − 1</c> of <paramref name="work"/> on every thread and returns when all are done.</summary>
    public void Run(IParallelWork work, int items)
    {
        if (Threads == 1 || items == 1)
        {
            for (int i = 0; i < items; i++)
            {
                work.RunItem(i);
            }
            return;
        }
        (_work, _items, _next) = (work, items, 0);
        _done.Reset(Threads);
        _start.Release(Threads - 1);
        Drain();
        _done.Wait();
        _work = null;
    }

    /// <summary>Ends the workers (they finish no item: call between passes).</summary>
    public void Dispose()
    {
        if (Threads > 1 && !_stopping)
        {
            _stopping = true;
            _start.Release(Threads - 1);
        }
    }

    private void Work()
    {
        while (true)
        {
            _start.Wait();
            if (_stopping)
            {
                return;
            }
            Drain();
        }
    }

    private void Drain()
    {
        try
        {
            for (int i = Interlocked.Increment(ref _next) - 1; i < _items; i = Interlocked.Increment(ref _next) - 1)
            {
                _work!.RunItem(i);
            }
        }
        finally
        {
            _done.Signal();
        }
    }
}
