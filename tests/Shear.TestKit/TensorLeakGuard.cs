using TorchSharp;

namespace Shear.TestKit;

/// <summary>Asserts that a body leaves no live tensors behind on this thread's dispose-scope accounting.</summary>
public static class TensorLeakGuard
{
    /// <summary>Runs <paramref name="body"/> and fails if the live tensor count grew.</summary>
    public static void Run(Action body)
    {
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        body();
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Xunit.Assert.True(after <= before, $"{after - before} tensors leaked");
    }
}
