namespace Shear.Inference.Execution;

/// <summary>Max pooling with a square window; padding counts as −∞ (it never wins).</summary>
internal sealed unsafe class MaxPoolStep(int kernel, int stride, int padding, Value input, Value output) : IStep
{
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run(Workspace workspace, object? state)
    {
        long planes = (long)input.Channels * workspace.Batch;
        if (kernel == 2 && stride == 2 && padding == 0 && input.Height >= 2 * output.Height && input.Width >= 2 * output.Width)
        {
            Pairs(workspace.Slot(input.Slot), workspace.Slot(output.Slot), planes);
            return;
        }
        for (long p = 0; p < planes; p++)
        {
            float* x = workspace.Slot(input.Slot) + (p * input.Plane), y = workspace.Slot(output.Slot) + (p * output.Plane);
            for (int oy = 0; oy < output.Height; oy++)
            {
                for (int ox = 0; ox < output.Width; ox++)
                {
                    float best = float.NegativeInfinity;
                    for (int ky = Math.Max(0, padding - (oy * stride)); ky < kernel && (oy * stride) + ky - padding < input.Height; ky++)
                    {
                        float* line = x + (((oy * stride) + ky - padding) * input.Width);
                        for (int kx = Math.Max(0, padding - (ox * stride)); kx < kernel && (ox * stride) + kx - padding < input.Width; kx++)
                        {
                            best = Math.Max(best, line[(ox * stride) + kx - padding]);
                        }
                    }
                    y[(oy * output.Width) + ox] = best;
                }
            }
        }
    }

    // The 2x2, stride-2 window of VGG and LeNet: every window inside the plane, no bounds to check.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Pairs(float* x, float* y, long planes)
    {
        int width = input.Width, outWidth = output.Width, outHeight = output.Height;
        for (long p = 0; p < planes; p++)
        {
            float* plane = x + (p * input.Plane), target = y + (p * output.Plane);
            for (int oy = 0; oy < outHeight; oy++)
            {
                float* top = plane + (2 * oy * width), bottom = top + width, row = target + (oy * outWidth);
                for (int ox = 0; ox < outWidth; ox++)
                {
                    row[ox] = MathF.Max(MathF.Max(top[2 * ox], top[(2 * ox) + 1]), MathF.Max(bottom[2 * ox], bottom[(2 * ox) + 1]));
                }
            }
        }
    }
}

/// <summary>Average pooling with a square window; zero padding counts in the divisor when
/// <paramref name="countIncludePad"/> (PyTorch's default), else only the positions inside the input do.</summary>
internal sealed unsafe class AvgPoolStep(int kernel, int stride, int padding, bool countIncludePad, Value input, Value output) : IStep
{
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run(Workspace workspace, object? state)
    {
        long planes = (long)input.Channels * workspace.Batch;
        for (long p = 0; p < planes; p++)
        {
            float* x = workspace.Slot(input.Slot) + (p * input.Plane), y = workspace.Slot(output.Slot) + (p * output.Plane);
            for (int oy = 0; oy < output.Height; oy++)
            {
                int top = (oy * stride) - padding, bottom = Math.Min(top + kernel, input.Height + padding);
                for (int ox = 0; ox < output.Width; ox++)
                {
                    int left = (ox * stride) - padding, right = Math.Min(left + kernel, input.Width + padding);
                    float sum = 0;
                    int inside = 0;
                    for (int iy = Math.Max(top, 0); iy < Math.Min(bottom, input.Height); iy++)
                    {
                        for (int ix = Math.Max(left, 0); ix < Math.Min(right, input.Width); ix++, inside++)
                        {
                            sum += x[(iy * input.Width) + ix];
                        }
                    }
                    y[(oy * output.Width) + ox] = sum / (countIncludePad ? (bottom - top) * (right - left) : inside);
                }
            }
        }
    }
}

/// <summary>The mean of each channel plane: <c>[C][N][H][W] → [C][N]</c>, already the feature layout.</summary>
internal sealed unsafe class GlobalAvgPoolStep(Value input, Value output) : IStep
{
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run(Workspace workspace, object? state)
    {
        long planes = (long)input.Channels * workspace.Batch;
        float* x = workspace.Slot(input.Slot), y = workspace.Slot(output.Slot);
        for (long p = 0; p < planes; p++)
        {
            y[p] = System.Numerics.Tensors.TensorPrimitives.Sum(new ReadOnlySpan<float>(x + (p * input.Plane), input.Plane)) / input.Plane;
        }
    }
}

/// <summary>Flatten of a spatial value into features: <c>[C][N][H·W] → [C·H·W][N]</c> (feature <c>c·H·W + i</c>, as
/// PyTorch's <c>flatten(1)</c> numbers them).</summary>
internal sealed unsafe class FlattenStep(Value input, Value output) : IStep
{
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run(Workspace workspace, object? state)
    {
        int n = workspace.Batch, plane = input.Plane;
        float* x = workspace.Slot(input.Slot), y = workspace.Slot(output.Slot);
        for (int c = 0; c < input.Channels; c++)
        {
            for (int b = 0; b < n; b++)
            {
                float* source = x + ((((long)c * n) + b) * plane);
                for (int i = 0; i < plane; i++)
                {
                    y[((((long)c * plane) + i) * n) + b] = source[i];
                }
            }
        }
    }
}
