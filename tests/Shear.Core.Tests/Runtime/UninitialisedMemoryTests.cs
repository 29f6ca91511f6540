using System.Runtime.Intrinsics.X86;
using Shear.Models;
using Shear.TestKit;
using Shear.Training;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Runtime;

// oneDNN 3.7.1's AVX-512 NCHW convolutions read channel padding they never wrote (decision 0003). c10's junk fill
// makes every new allocation NaN-like, so a read of unwritten memory shows at once. Shear avoids those kernels
// (ConvolutionLayout); these tests keep both halves honest: the bug is still in libtorch (the canary), and Shear's
// training does not see it.
[Collection(AllocatorFlagsGroup.Name)]
public class UninitialisedMemoryTests
{
    [Fact]
    public void Initialize_ZeroFill_IsOffUnlessAskedFor()
    {
        TorchRuntime.Initialize();
        bool expected = Environment.GetEnvironmentVariable(CpuAllocatorZeroFill.Variable) == "1";

        Assert.Equal(expected, AllocatorFlags.Read(AllocatorFlags.ZeroFill));
        Assert.StartsWith(expected ? "on" : "off", CpuAllocatorZeroFill.Setting, StringComparison.Ordinal);
    }

    // The canary: an 8-channel NCHW convolution's input gradient, on junk memory, is not the one on zeroed memory. If
    // this starts failing, a libtorch update fixed the kernels: measure, then drop ConvolutionLayout (decision 0003).
    [Fact]
    public void NchwConvolutionBackward_OnJunkMemory_DiffersFromTheCleanResult_OnAvx512Hosts()
    {
        TorchRuntime.Initialize();
        if (!Avx512F.IsSupported || AllocatorFlags.Read(AllocatorFlags.ZeroFill))
        {
            return; // The faulty kernels are AVX-512 ones; zero fill would hide them.
        }
        // Even "clean" memory is recycled garbage for this kernel, so the reference runs on zero-filled memory.
        var clean = AllocatorFlags.With(AllocatorFlags.ZeroFill, InputGradient);
        var junk = AllocatorFlags.With(AllocatorFlags.JunkFill, InputGradient);

        Assert.All(clean, v => Assert.True(double.IsFinite(v)));
        Assert.NotEqual(clean, junk);
    }

    // The fix: seeded training gives the same losses and weights on junk-filled memory as on clean memory, bit for
    // bit, on one thread and on two: Conv-6 at 1/8 width (8 and 16 channels, no BN to normalise garbage away), ResNet-20
    // at half width (8-channel layers, an 8-to-16 strided 1x1 projection), Conv-2 with one channel per layer and VGG-11
    // at 1/32 width (2 to 16 channels, 1x1 feature maps): layouts libtorch cannot tell apart by strides.
    [Theory]
    [InlineData("conv6", 0.125, 1)]
    [InlineData("conv6", 0.125, 2)]
    [InlineData("resnet20", 0.5, 2)]
    [InlineData("conv2", 1.0 / 64, 2)]
    [InlineData("vgg11", 1.0 / 32, 2)]
    public void Training_OnJunkMemory_IsBitIdenticalToTheCleanRun(string key, double width, int threadCount)
    {
        TorchRuntime.Initialize();
        int threads = get_num_threads();
        set_num_threads(threadCount);
        try
        {
            var clean = TrainBriefly(key, width);
            var junk = AllocatorFlags.With(AllocatorFlags.JunkFill, () => TrainBriefly(key, width));

            Assert.All(clean, v => Assert.True(double.IsFinite(v)));
            Assert.Equal(clean, junk);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void FreshTensor_AfterNaNWasFreed_ReadsAsZeros_WhereZeroFillIsOn()
    {
        TorchRuntime.Initialize();
        if (!AllocatorFlags.Read(AllocatorFlags.ZeroFill))
        {
            return; // Only with SHEAR_CPU_ZERO_FILL=1.
        }
        FillFreedMemoryWithNaN();

        using var scope = NewDisposeScope();
        for (long size = 256; size <= 1 << 20; size *= 2)
        {
            Assert.Equal(0.0, empty(size).abs().sum().item<float>());
        }
    }

    // Conv 8 -> 8, 3x3, NCHW as libtorch chooses it for a contiguous input; the input gradient's values.
    private static double[] InputGradient()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        var input = randn(new long[] { 16, 8, 28, 28 }, generator: generator).requires_grad_();
        var weight = randn(new long[] { 8, 8, 3, 3 }, generator: generator);
        var upstream = randn(new long[] { 16, 8, 28, 28 }, generator: generator);
        (nn.functional.conv2d(input, weight, padding: [1, 1]) * upstream).sum().backward();
        return input.grad!.to(float64).data<double>().ToArray();
    }

    // Two SGD epochs of a small seeded run, then the loss of every step, the test loss and a checksum of the weights.
    private static double[] TrainBriefly(string key, double width)
    {
        using var data = SyntheticData.Split(train: 192, test: 100, classes: 10);
        using var model = new ModelCard(key, data.Train.Shape, 10, new ModelOptions { Width = width }).Create(3, CPU);
        var losses = new List<double>();
        var observer = new LossRecorder(losses);
        new Trainer(new TrainingOptions { Epochs = 2, BatchSize = 64, LearningRate = 0.05, Seed = 3 })
            .Train(new TrainingSession { Model = model, Data = data, Observer = observer });
        using var scope = NewDisposeScope();
        double checksum = model.parameters().Select((p, i) => p.to(float64).abs().sum().item<double>() * (i + 1)).Sum();
        return [.. losses, observer.TestLoss, checksum];
    }

    // Tensors of many sizes below the allocator's mmap threshold, so their memory returns to the heap's free lists.
    private static void FillFreedMemoryWithNaN()
    {
        using var scope = NewDisposeScope();
        for (long size = 256; size <= 1 << 20; size *= 2)
        {
            for (int copy = 0; copy < 4; copy++)
            {
                full(size, float.NaN);
                full(size + 17, float.NaN);
            }
        }
    }

    private sealed class LossRecorder(List<double> losses) : ITrainingObserver
    {
        public double TestLoss { get; private set; }

        public void OnEpochStart(int epoch, int batches) { }

        public void OnBatch(int epoch, int batch, double loss) => losses.Add(loss);

        public void OnEpochEnd(EpochRecord record) => TestLoss = record.TestLoss;
    }
}
