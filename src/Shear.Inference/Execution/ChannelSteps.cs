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

/// <summary>The sum of two or more values of one shape (a residual join), with an optional ReLU.</summary>
internal sealed unsafe class AddStep(Value[] inputs, bool relu, Value output) : IStep
{
    /// <inheritdoc/>
    public void Run(Workspace workspace, object? state)
    {
        int count = checked((int)(output.Size * workspace.Batch));
        var y = new Span<float>(workspace.Slot(output.Slot), count);
        System.Numerics.Tensors.TensorPrimitives.Add(Read(workspace, inputs[0], count), Read(workspace, inputs[1], count), y);
        for (int i = 2; i < inputs.Length; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(y, Read(workspace, inputs[i], count), y);
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
