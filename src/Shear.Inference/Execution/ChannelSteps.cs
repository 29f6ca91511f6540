namespace Shear.Inference.Execution;

/// <summary>Per-channel scale and shift (a BatchNorm that no convolution absorbs), with an optional ReLU.</summary>
internal sealed unsafe class AffineStep(float[] scale, float[] shift, bool relu, Value input, Value output) : IStep
{
    /// <inheritdoc/>
    public void Run(Workspace workspace, object? state)
    {
        float* x = workspace.Slot(input.Slot), y = workspace.Slot(output.Slot);
        long row = (long)workspace.Batch * input.Plane;
        for (int c = 0; c < input.Channels; c++)
        {
            for (long i = c * row; i < (c + 1) * row; i++)
            {
                float v = (x[i] * scale[c]) + shift[c];
                y[i] = relu && v < 0 ? 0 : v;
            }
        }
    }
}

/// <summary>Elementwise max(x, 0) on a value no step could fuse it into.</summary>
internal sealed unsafe class ReluStep(Value input, Value output) : IStep
{
    /// <inheritdoc/>
    public void Run(Workspace workspace, object? state)
    {
        var x = new ReadOnlySpan<float>(workspace.Slot(input.Slot), checked((int)(input.Size * workspace.Batch)));
        var y = new Span<float>(workspace.Slot(output.Slot), x.Length);
        System.Numerics.Tensors.TensorPrimitives.Max(x, 0f, y);
    }
}

/// <summary>The sum of two or more values of one shape (a residual join), or of a <c>[C][N]</c> value broadcast over
/// the positions of a <c>[C][N][H][W]</c> one, with an optional ReLU.</summary>
internal sealed unsafe class AddStep(Value[] inputs, bool relu, Value output) : IStep
{
    /// <inheritdoc/>
    public void Run(Workspace workspace, object? state)
    {
        int count = checked((int)(output.Size * workspace.Batch));
        var y = new Span<float>(workspace.Slot(output.Slot), count);
        if (inputs is [var a, var b] && a.Plane != b.Plane)
        {
            var (value, offset) = a.Plane > b.Plane ? (a, b) : (b, a);
            float* x = workspace.Slot(value.Slot), c = workspace.Slot(offset.Slot);
            for (long r = 0; r < (long)value.Channels * workspace.Batch; r++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(new ReadOnlySpan<float>(x + (r * value.Plane), value.Plane), c[r], y.Slice((int)(r * value.Plane), value.Plane));
            }
        }
        else
        {
            System.Numerics.Tensors.TensorPrimitives.Add(Read(workspace, inputs[0], count), Read(workspace, inputs[1], count), y);
            for (int i = 2; i < inputs.Length; i++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(y, Read(workspace, inputs[i], count), y);
            }
        }
        if (relu)
        {
            System.Numerics.Tensors.TensorPrimitives.Max(y, 0f, y);
        }
    }

    private static ReadOnlySpan<float> Read(Workspace workspace, Value value, int count) => new(workspace.Slot(value.Slot), count);
}

/// <summary>Channel concatenation: in the channel-major layout each input is one contiguous block.</summary>
internal sealed unsafe class ConcatStep(Value[] inputs, Value output) : IStep
{
    /// <inheritdoc/>
    public void Run(Workspace workspace, object? state)
    {
        float* y = workspace.Slot(output.Slot);
        foreach (var input in inputs)
        {
            int count = checked((int)(input.Size * workspace.Batch));
            new ReadOnlySpan<float>(workspace.Slot(input.Slot), count).CopyTo(new Span<float>(y, count));
            y += count;
        }
    }
}

/// <summary>A parameterless elementwise function (ReLU6 and other clips, sigmoid, hard sigmoid, hard swish).</summary>
internal sealed unsafe class ElementwiseStep(Shear.Graphs.LayerSpec function, Value input, Value output) : IStep
{
    /// <inheritdoc/>
    public void Run(Workspace workspace, object? state)
    {
        var x = new ReadOnlySpan<float>(workspace.Slot(input.Slot), checked((int)(input.Size * workspace.Batch)));
        var y = new Span<float>(workspace.Slot(output.Slot), x.Length);
        switch (function)
        {
            case Shear.Graphs.ClipSpec clip:
                x.CopyTo(y);
                Clamp(y, clip.Min, clip.Max);
                break;
            case Shear.Graphs.SigmoidSpec:
                System.Numerics.Tensors.TensorPrimitives.Sigmoid(x, y);
                break;
            case Shear.Graphs.HardSigmoidSpec h:
                System.Numerics.Tensors.TensorPrimitives.Multiply(x, h.Alpha, y);
                System.Numerics.Tensors.TensorPrimitives.Add(y, h.Beta, y);
                Clamp(y, 0, 1);
                break;
            case Shear.Graphs.HardSwishSpec:
                // x · relu6(x + 3) / 6.
                System.Numerics.Tensors.TensorPrimitives.Add(x, 3f, y);
                Clamp(y, 0, 6);
                System.Numerics.Tensors.TensorPrimitives.Multiply(y, x, y);
                System.Numerics.Tensors.TensorPrimitives.Divide(y, 6f, y);
                break;
            default:
                throw new NotSupportedException($"no elementwise step for {function.GetType().Name}");
        }
    }

    private static void Clamp(Span<float> y, float min, float max)
    {
        System.Numerics.Tensors.TensorPrimitives.Max(y, min, y);
        System.Numerics.Tensors.TensorPrimitives.Min(y, max, y);
    }
}

/// <summary>The product of two values: of one shape, or a <c>[C][N]</c> gate scaling every position of its channel
/// and image in a <c>[C][N][H][W]</c> value (a squeeze-and-excitation gate).</summary>
internal sealed unsafe class MulStep(Value a, Value b, Value output) : IStep
{
    /// <inheritdoc/>
    public void Run(Workspace workspace, object? state)
    {
        var (value, gate) = a.Plane >= b.Plane ? (a, b) : (b, a);
        int n = workspace.Batch;
        float* x = workspace.Slot(value.Slot), g = workspace.Slot(gate.Slot), y = workspace.Slot(output.Slot);
        if (gate.Plane == value.Plane)
        {
            int count = checked((int)(value.Size * n));
            System.Numerics.Tensors.TensorPrimitives.Multiply(new ReadOnlySpan<float>(x, count), new ReadOnlySpan<float>(g, count), new Span<float>(y, count));
            return;
        }
        long rows = (long)value.Channels * n;
        for (long r = 0; r < rows; r++)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(new ReadOnlySpan<float>(x + (r * value.Plane), value.Plane), g[r], new Span<float>(y + (r * value.Plane), value.Plane));
        }
    }
}

/// <summary>Softmax or log-softmax over the features of each sample (<c>[F][N]</c>: a strided column per sample).</summary>
internal sealed unsafe class SoftmaxStep(bool log, Value input, Value output) : IStep
{
    /// <inheritdoc/>
    public void Run(Workspace workspace, object? state)
    {
        int n = workspace.Batch, features = input.Channels;
        float* x = workspace.Slot(input.Slot), y = workspace.Slot(output.Slot);
        for (int b = 0; b < n; b++)
        {
            float max = float.NegativeInfinity;
            for (int f = 0; f < features; f++)
            {
                max = Math.Max(max, x[((long)f * n) + b]);
            }
            float sum = 0;
            for (int f = 0; f < features; f++)
            {
                sum += MathF.Exp(x[((long)f * n) + b] - max);
            }
            float logSum = MathF.Log(sum);
            for (int f = 0; f < features; f++)
            {
                float shifted = x[((long)f * n) + b] - max;
                y[((long)f * n) + b] = log ? shifted - logSum : MathF.Exp(shifted) / sum;
            }
        }
    }
}
