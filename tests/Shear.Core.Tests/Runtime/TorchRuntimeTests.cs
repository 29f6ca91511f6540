using Xunit;
using static TorchSharp.torch;

namespace Shear.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void Initialize_ThisHost_TensorsAutogradConvBatchNormAndOptimizerStepWork()
    {
        var report = TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        using var conv = nn.Conv2d(2, 4, 3, padding: 1);
        using var norm = nn.BatchNorm2d(4);
        using var head = nn.Linear(4 * 8 * 8, 3);
        var input = randn([5, 2, 8, 8], generator: generator);
        var target = tensor(new long[] { 0, 1, 2, 0, 1 });
        var optimizer = optim.SGD(conv.parameters().Concat(head.parameters()), 0.1, momentum: 0.9);
        var before = conv.weight!.clone();

        var loss = nn.functional.cross_entropy(head.call(norm.call(conv.call(input)).relu().flatten(1)), target);
        loss.backward();
        optimizer.step();

        Assert.True(double.IsFinite(loss.item<float>()));
        Assert.NotNull(conv.weight.grad);
        Assert.True(conv.weight.grad!.abs().sum().item<float>() > 0, "no gradient reached the convolution");
        Assert.False(before.eq(conv.weight).all().item<bool>(), "the optimizer step did not change the weights");
        Assert.True(TorchRuntime.Report is not null && report == TorchRuntime.Report);
    }

    [Fact]
    public void Initialize_CalledTwice_ReturnsTheFirstReport()
    {
        Assert.Same(TorchRuntime.Initialize(), TorchRuntime.Initialize());
    }

    [Fact]
    public void Initialize_OnLinux_UsesTheLibTorchTorchSharpResolvesNotTheSystemCopy()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc/self/maps is Linux's; elsewhere TorchSharp loads libtorch itself.
        }
        using var probe = ones(1);
        var torchLibraries = NativeLibraryLocator.LoadedLibraries()
            .Where(p => Path.GetFileName(p).StartsWith("libtorch_cpu", StringComparison.Ordinal)).ToList();
        string single = Assert.Single(torchLibraries);
        Assert.DoesNotContain("/usr/lib", single, StringComparison.Ordinal);
    }
}
