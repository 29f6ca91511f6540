using TorchSharp;
using static TorchSharp.torch;

namespace Shear.Graphs;

/// <summary>
/// Runs CPU convolutions on channels-last (NHWC) inputs, where libtorch 2.10's oneDNN gives correct results, instead
/// of NCHW, where its AVX-512 kernels read padding they never wrote.
/// </summary>
/// <remarks>
/// oneDNN 3.7.1's <c>jit:avx512_core</c> convolutions in the blocked NCHW layout (<c>aBcd16b</c>) pad the channels
/// they sum over to a multiple of 16 and read that padding uninitialised: backward-data when the output channels
/// are not a multiple of 16 (Conv-6 at 1/8 width: 8→8), forward when the input channels are not (24→24). With
/// junk-filled memory the input gradient came out non-finite in almost every element; with ordinary memory seeded
/// runs went to NaN in about one process in four (<c>docs/decisions/0003-cpu-zero-fill.md</c>). Its NHWC kernels
/// have no padded channel blocks and pass the same checks for kernels larger than 1x1. 1x1 convolutions are the
/// other way round: in NHWC a quarter of random shapes with channel counts off the block of 16 came out wrong
/// (relative error 0.3-0.8 against float64; 7→45 on a 4x4 map, 26→66 on 2x2), in NCHW none did, forward and
/// backward (300 shapes each; docs/decisions/0003-cpu-zero-fill.md). So kernels above 1x1 with a channel count off
/// the block run channels-last and everything else NCHW. Depthwise convolutions were right in both layouts. (oneDNN's
/// heap corruption in NHWC 1x1 strided backward-weights with fewer than 16 input channels, issue #6035, is avoided
/// too.)
/// </remarks>
public static class ConvolutionLayout
{
    /// <summary>Whether <paramref name="conv"/> runs channels-last on a float32 CPU <paramref name="input"/>: a kernel
    /// above 1x1 with a channel count that is not a multiple of oneDNN's AVX-512 block of 16, so NCHW would pad it.</summary>
    public static bool UsesChannelsLast(Conv2dSpec conv, Tensor input) =>
        input.device_type == DeviceType.CPU && input.dtype == ScalarType.Float32 && input.dim() == 4
        && conv.Kernel > 1 && (conv.InChannels % Block != 0 || conv.OutChannels % Block != 0);

    // oneDNN's AVX-512 channel block.
    private const int Block = 16;

    /// <summary>The convolution <paramref name="conv"/> of <paramref name="input"/> with <paramref name="weight"/>
    /// and <paramref name="bias"/>, in the layout chosen for it. The result is a new tensor owned by the caller; the
    /// arguments are not disposed.</summary>
    public static Tensor Convolve(Conv2dSpec conv, Tensor input, Tensor weight, Tensor? bias)
    {
        if (!UsesChannelsLast(conv, input))
        {
            using var nchw = Nchw(input);
            return Apply(conv, nchw, weight, bias);
        }
        if (conv.InChannels == 1 && conv.Groups == 1)
        {
            // With one channel, NHWC and NCHW strides coincide and libtorch picks NCHW: a zero second channel (in the
            // input and the kernel) makes the layout explicit and adds only exact zeros to every sum.
            using var input2 = nn.functional.pad(input, [0, 0, 0, 0, 0, 1]);
            using var weight2 = nn.functional.pad(weight, [0, 0, 0, 0, 0, 1]);
            return ApplyChannelsLast(conv, input2, weight2, bias);
        }
        return ApplyChannelsLast(conv, input, weight, bias);
    }

    // The input with NCHW's own strides. contiguous() is not enough: a map of 1x1 (a squeeze-and-excitation gate) is
    // contiguous in both layouts, oneDNN then reads channels-last strides as channels-last, and its 1x1 NHWC kernels
    // are the faulty ones (an in-place ReLU that kept such strides moved MobileNetV3's logits by 1.7e-4).
    private static Tensor Nchw(Tensor input)
    {
        if (IsDefault(input.shape, input.stride()))
        {
            return input.alias();
        }
        var copy = empty(input.shape, input.dtype, input.device);
        copy.copy_(input);
        return copy;
    }

    // Whether every stride, size-1 dimensions included, is what a freshly made NCHW tensor has.
    private static bool IsDefault(long[] shape, long[] strides)
    {
        long expected = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (strides[d] != expected)
            {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    // Both operands channels-last, so the choice does not hinge on one whose strides are ambiguous (a 1x1 feature
    // map, a 1x1 kernel). A permuted, contiguous copy; free for an input that already is channels-last.
    private static Tensor ApplyChannelsLast(Conv2dSpec conv, Tensor input, Tensor weight, Tensor? bias)
    {
        using var inputNhwc = input.permute(0, 2, 3, 1);
        using var inputPacked = inputNhwc.contiguous();
        using var inputView = inputPacked.permute(0, 3, 1, 2);
        using var weightNhwc = weight.permute(0, 2, 3, 1);
        using var weightPacked = weightNhwc.contiguous();
        using var weightView = weightPacked.permute(0, 3, 1, 2);
        return Apply(conv, inputView, weightView, bias);
    }

    private static Tensor Apply(Conv2dSpec conv, Tensor input, Tensor weight, Tensor? bias) =>
        nn.functional.conv2d(input, weight, bias, strides: [conv.Stride, conv.Stride], padding: [conv.Padding, conv.Padding], groups: conv.Groups);
}
