using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Shear.Models;
using Shear.TestKit;
using Shear.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Runtime;

public class CpuAllocatorZeroFillTests
{
    [Fact]
    public void Initialize_Avx512LinuxHost_TurnsZeroFillOn_ElsewhereLeavesItOff()
    {
        TorchRuntime.Initialize();
        bool expected = Environment.GetEnvironmentVariable(CpuAllocatorZeroFill.Variable) switch
        {
            "0" => false,
            "1" => true,
            _ => OperatingSystem.IsLinux() && Avx512F.IsSupported,
        };

        Assert.Equal(expected, ReadFlag(ZeroFill));
        Assert.StartsWith(expected ? "on" : "off", CpuAllocatorZeroFill.Setting, StringComparison.Ordinal);
    }

    [Fact]
    public void FreshTensor_AfterNaNWasFreed_ReadsAsZeros_WhereZeroFillIsOn()
    {
        TorchRuntime.Initialize();
        if (!ReadFlag(ZeroFill))
        {
            return; // Not an AVX-512 Linux host: libtorch's allocator is left as it is.
        }
        FillFreedMemoryWithNaN();

        using var scope = NewDisposeScope();
        for (long size = 256; size <= 1 << 20; size *= 2)
        {
            Assert.Equal(0.0, empty(size).abs().sum().item<float>());
        }
    }

    // Why the zero fill exists, kept as a canary: on AVX-512 hosts oneDNN's convolutions read memory libtorch
    // allocated but never wrote, so a BN-less CNN trained differently (often to NaN) depending on what freed memory
    // held. With zero fill off and c10's junk fill on, the same run must come out different from the clean one. If
    // this starts failing, a libtorch update fixed the kernels: measure, then drop CpuAllocatorZeroFill.
    [Fact]
    public void Training_OnJunkMemoryWithoutZeroFill_DiffersFromTheCleanRun_OnAvx512Hosts()
    {
        TorchRuntime.Initialize();
        if (!ReadFlag(ZeroFill) || !Avx512F.IsSupported)
        {
            return;
        }
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            var clean = TrainBriefly();
            WriteFlag(ZeroFill, false);
            WriteFlag(JunkFill, true);
            double[]? junk = null;
            try
            {
                junk = TrainBriefly();
            }
            catch (TrainingDivergedException)
            {
                // Diverging is the usual way it differs.
            }
            finally
            {
                WriteFlag(JunkFill, false);
                WriteFlag(ZeroFill, true);
            }

            Assert.All(clean, v => Assert.True(double.IsFinite(v)));
            Assert.NotEqual(clean, junk);
            Assert.Equal(clean, TrainBriefly());
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    // A few SGD steps of Conv-6 at 1/8 width (no BN, so garbage is not normalised away), then the loss of every
    // step and a checksum of the weights.
    private static double[] TrainBriefly()
    {
        using var data = SyntheticData.Split(train: 192, test: 100, classes: 10);
        using var model = new ModelCard("conv6", data.Train.Shape, 10, new ModelOptions { Width = 0.125 }).Create(3, CPU);
        var losses = new List<double>();
        var observer = new LossRecorder(losses);
        new Trainer(new TrainingOptions { Epochs = 1, BatchSize = 64, LearningRate = 0.05, Seed = 3 })
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

    private const string ZeroFill = "FLAGS_caffe2_cpu_allocator_do_zero_fill";
    private const string JunkFill = "FLAGS_caffe2_cpu_allocator_do_junk_fill";

    private static unsafe void WriteFlag(string symbol, bool value) => *(byte*)FlagAddress(symbol) = value ? (byte)1 : (byte)0;

    private static unsafe bool ReadFlag(string symbol) => *(byte*)FlagAddress(symbol) != 0;

    private static IntPtr FlagAddress(string symbol) =>
        NativeLibrary.GetExport(NativeLibrary.Load("c10", typeof(torch).Assembly, null), symbol);

    private sealed class LossRecorder(List<double> losses) : ITrainingObserver
    {
        public double TestLoss { get; private set; }

        public void OnEpochStart(int epoch, int batches) { }

        public void OnBatch(int epoch, int batch, double loss) => losses.Add(loss);

        public void OnEpochEnd(EpochRecord record) => TestLoss = record.TestLoss;
    }
}
