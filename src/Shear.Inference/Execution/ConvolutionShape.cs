namespace Shear.Inference.Execution;

/// <summary>
/// The geometry of one convolution in the engine's layouts (see <see cref="ConvolutionStep"/>): where each source
/// (input channel × kernel tap) starts, how long one image's run of output positions is, and the two copies around
/// the kernel (into phase planes, out of the padded grid).
/// </summary>
/// <param name="Name">Layer name.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="Height">Input height.</param>
/// <param name="Width">Input width.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="Kernel">Kernel side.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Zero padding per side.</param>
internal sealed unsafe record ConvolutionShape(string Name, int InChannels, int Height, int Width, int OutChannels, int Kernel, int Stride, int Padding)
{
    /// <summary>Output height.</summary>
    public int OutHeight => ((Height + (2 * Padding) - Kernel) / Stride) + 1;

    /// <summary>Output width.</summary>
    public int OutWidth => ((Width + (2 * Padding) - Kernel) / Stride) + 1;

    /// <summary>Output positions per channel and image.</summary>
    public int OutPlane => OutHeight * OutWidth;

    /// <summary>Whether the input is read in place (1x1, stride 1, no padding).</summary>
    public bool Direct => Kernel == 1 && Stride == 1 && Padding == 0;

    /// <summary>Sources: input channels × kernel taps.</summary>
    public int Sources => InChannels * Kernel * Kernel;

    /// <summary>Stride phases: <c>s²</c> planes per channel.</summary>
    public int Phases => Stride * Stride;

    /// <summary>Rows of a phase plane.</summary>
    public int PlaneHeight => (Height + (2 * Padding) + Stride - 1) / Stride;

    /// <summary>Columns of a phase plane (the row pitch of the padded output grid).</summary>
    public int PlaneWidth => (Width + (2 * Padding) + Stride - 1) / Stride;

    /// <summary>Floats per phase plane.</summary>
    public int PhasePlane => PlaneHeight * PlaneWidth;

    /// <summary>One image's run of output positions on the padded grid (padding columns included).</summary>
    public int Run => ((OutHeight - 1) * PlaneWidth) + OutWidth;

    /// <summary>Whether the padded grid has no padding columns, so the run is the output itself.</summary>
    public bool RunIsOutput => PlaneWidth == OutWidth;

    /// <summary>Where source <paramref name="j"/> (<c>c·k² + kh·k + kw</c>) starts relative to a segment's input.</summary>
    public int SourceOffset(int j, int batch)
    {
        if (Direct)
        {
            return checked(j * batch * OutPlane);
        }
        int taps = Kernel * Kernel, c = j / taps, kh = j % taps / Kernel, kw = j % Kernel;
        int phase = (kh % Stride * Stride) + (kw % Stride);
        return checked((((c * Phases) + phase) * PhasePlane) + (kh / Stride * PlaneWidth) + (kw / Stride));
    }

    /// <summary>Copies <paramref name="x"/> (<c>[C][N][H][W]</c>) into zero-padded phase planes
    /// <c>[N][C][phase][PlaneHeight][PlaneWidth]</c> at <paramref name="planes"/>.</summary>
    public void SplitPhases(float* x, float* planes, int batch)
    {
        int plane = Height * Width;
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < InChannels; c++)
            {
                float* source = x + (((long)c * batch) + n) * plane;
                float* target = planes + ((((long)n * InChannels) + c) * Phases * PhasePlane);
                for (int phase = 0; phase < Phases; phase++, target += PhasePlane)
                {
                    CopyPhase(source, target, phase / Stride, phase % Stride);
                }
            }
        }
    }

    // One phase plane: target[u][v] = padded source[u·s + a][v·s + b].
    private void CopyPhase(float* source, float* target, int a, int b)
    {
        for (int u = 0; u < PlaneHeight; u++)
        {
            float* row = target + (u * PlaneWidth);
            int y = (u * Stride) + a - Padding;
            if (y < 0 || y >= Height)
            {
                new Span<float>(row, PlaneWidth).Clear();
                continue;
            }
            float* line = source + (y * Width);
            if (Stride == 1)
            {
                // A padded row: zeros, the input row, zeros.
                new Span<float>(row, Padding).Clear();
                new ReadOnlySpan<float>(line, Width).CopyTo(new Span<float>(row + Padding, Width));
                new Span<float>(row + Padding + Width, PlaneWidth - Padding - Width).Clear();
                continue;
            }
            for (int v = 0; v < PlaneWidth; v++)
            {
                int x = (v * Stride) + b - Padding;
                row[v] = x >= 0 && x < Width ? line[x] : 0;
            }
        }
    }

    /// <summary>Copies the padded-grid output <paramref name="grid"/> (<c>[O][N][Run]</c>) into <paramref name="y"/>
    /// (<c>[O][N][OutHeight][OutWidth]</c>), leaving the padding columns behind.</summary>
    public void DropPadding(float* grid, float* y, int batch)
    {
        long rows = (long)OutChannels * batch;
        for (long r = 0; r < rows; r++)
        {
            float* source = grid + (r * Run), target = y + (r * OutPlane);
            for (int h = 0; h < OutHeight; h++)
            {
                new ReadOnlySpan<float>(source + (h * PlaneWidth), OutWidth).CopyTo(new Span<float>(target + (h * OutWidth), OutWidth));
            }
        }
    }
}
