using System.Runtime.CompilerServices;

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
    public int OutHeight { get; } = ((Height + (2 * Padding) - Kernel) / Stride) + 1;

    /// <summary>Output width.</summary>
    public int OutWidth { get; } = ((Width + (2 * Padding) - Kernel) / Stride) + 1;

    /// <summary>Output positions per channel and image.</summary>
    public int OutPlane => OutHeight * OutWidth;

    /// <summary>Whether the input is read in place (1x1, stride 1, no padding).</summary>
    public bool Direct { get; } = Kernel == 1 && Stride == 1 && Padding == 0;

    /// <summary>Whether the input is first gathered into one row per source over the output positions of the whole
    /// batch (im2col): for planes so small that the padded grid would compute more than twice the outputs (a 3x3
    /// convolution on a 3x3 or 1x1 image computes 25 or 9 positions per image for 9 or 1). Then the layer reads the
    /// gathered rows as a direct one does its input, and writes its output in place.</summary>
    public bool Gathered => !Direct && RunStride > 2 * OutPlane;

    /// <summary>Whether the layer runs on phase planes and the padded grid (neither direct nor gathered).</summary>
    public bool Phased => !Direct && !Gathered;

    /// <summary>Sources: input channels × kernel taps.</summary>
    public int Sources => InChannels * Kernel * Kernel;

    /// <summary>Stride phases: <c>s²</c> planes per channel.</summary>
    public int Phases => Stride * Stride;

    /// <summary>Rows of a phase plane.</summary>
    public int PlaneHeight { get; } = (Height + (2 * Padding) + Stride - 1) / Stride;

    /// <summary>Columns of a phase plane (the row pitch of the padded output grid).</summary>
    public int PlaneWidth { get; } = (Width + (2 * Padding) + Stride - 1) / Stride;

    /// <summary>Floats per phase plane.</summary>
    public int PhasePlane => PlaneHeight * PlaneWidth;

    /// <summary>One image's run of output positions on the padded grid (padding columns included).</summary>
    public int Run => ((OutHeight - 1) * PlaneWidth) + OutWidth;

    /// <summary>Floats between the runs of consecutive images in the output scratch: the run rounded up to
    /// <see cref="Tile"/>, so the kernels compute whole tiles and never a scalar or single-register tail.</summary>
    public int RunStride => (Run + Tile - 1) / Tile * Tile;

    /// <summary>The kernels' widest step, in floats (four AVX-512 registers); reads of the last image's last tile
    /// may pass the end of its planes by less than this, so the input scratch keeps this much slack.</summary>
    public const int Tile = 64;

    /// <summary>Whether kernel tap (<paramref name="kh"/>, <paramref name="kw"/>) reads only padding at every output
    /// position (a 3x3 convolution on a 1x1 image sees its input through the centre tap alone).</summary>
    public bool DeadTap(int kh, int kw)
    {
        bool Inside(int k, int outSide, int side) => Enumerable.Range(0, outSide).Any(o => (o * Stride) + k - Padding is var i && i >= 0 && i < side);
        return !Inside(kh, OutHeight, Height) || !Inside(kw, OutWidth, Width);
    }

    /// <summary>
    /// Whether this layer can write its output straight into the padded planes of <paramref name="next"/>, its only
    /// reader: both stride 1 with the same kernel and padding ("same" convolutions on one plane size), so this layer's
    /// padded output grid is the next one's plane, shifted by the padding. Only runs of at least one tile (a 14x14
    /// plane or larger), as the output is then computed exactly over its run.
    /// </summary>
    public bool Chains(Shear.Graphs.Conv2dSpec next) =>
        Phased && Stride == 1 && OutHeight == Height && OutWidth == Width && Run >= Tile
        && next.Stride == 1 && next.Kernel == Kernel && next.Padding == Padding && next.Groups == 1 && next.InChannels == OutChannels;

    /// <summary>Floats per sample of an output kept as the next convolution's planes (<see cref="Chains"/>), with
    /// a tile of slack for the reads of the last image's last tile.</summary>
    public long PlanesSize => ((long)OutChannels * PhasePlane) + Tile;

    /// <summary>Where the output run of a chained layer starts in each plane: past the padding rows and columns.</summary>
    public int PlanesStart => (Padding * PlaneWidth) + Padding;

    /// <summary>Zeros the padding of the <paramref name="count"/> planes at <paramref name="planes"/> (one image's
    /// channels, written by a chained layer whose run also covered the padding columns).</summary>
    public void ClearBorders(float* planes, int count)
    {
        for (int c = 0; c < count; c++)
        {
            ClearBorder(planes + ((long)c * PhasePlane));
        }
    }

    /// <summary>Positions of the whole batch below which a gathered layer gathers position-major (each position's
    /// sources contiguous) and runs a dot product per row and position: fewer than one register of positions.</summary>
    public const int FewPositions = 16;

    /// <summary>Whether, at batch <paramref name="batch"/>, this layer gathers position-major.</summary>
    public bool PositionMajor(int batch) => Gathered && batch * OutPlane < FewPositions;

    /// <summary>Where source <paramref name="j"/> (<c>c·k² + kh·k + kw</c>) starts relative to a segment's input.</summary>
    public int SourceOffset(int j, int batch)
    {
        if (PositionMajor(batch))
        {
            return j;
        }
        if (!Phased)
        {
            return checked(j * batch * OutPlane);
        }
        int taps = Kernel * Kernel, c = j / taps, kh = j % taps / Kernel, kw = j % Kernel;
        int phase = (kh % Stride * Stride) + (kw % Stride);
        return checked((((c * Phases) + phase) * PhasePlane) + (kh / Stride * PlaneWidth) + (kw / Stride));
    }

    /// <summary>Copies image <paramref name="n"/> of <paramref name="x"/> (<c>[C][N][H][W]</c>) into its zero-padded
    /// phase planes <c>[N][C][phase][PlaneHeight][PlaneWidth]</c> at <paramref name="planes"/>. Phases no kernel tap
    /// reads (all but the first of a 1x1 stride-2 shortcut) are left as they are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SplitPhases(float* x, float* planes, int batch, int n)
    {
        int plane = Height * Width;
        for (int c = 0; c < InChannels; c++)
        {
            float* source = x + (((long)c * batch) + n) * plane;
            float* target = planes + ((((long)n * InChannels) + c) * Phases * PhasePlane);
            for (int phase = 0; phase < Phases; phase++, target += PhasePlane)
            {
                int a = phase / Stride, b = phase % Stride;
                if (a >= Kernel || b >= Kernel)
                {
                    continue;
                }
                if (Stride == 1)
                {
                    // Stride 1 writes every inner position: only the border needs zeros.
                    ClearBorder(target);
                }
                else
                {
                    new Span<float>(target, PhasePlane).Clear();
                }
                CopyPhase(source, target, a, b);
            }
        }
    }

    /// <summary>Copies rows <c>[first, end)</c> (an output channel of one image each) of the padded-grid output
    /// <paramref name="grid"/> (<c>[O][N][RunStride]</c>) into <paramref name="y"/> (<c>[O][N][OutHeight][OutWidth]</c>),
    /// leaving the padding columns behind.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DropPadding(float* grid, float* y, long first, long end) => DropPadding(grid, y, first, end, null, false);

    /// <summary>As <see cref="DropPadding(float*, float*, long, long)"/>, adding <paramref name="residual"/> (laid out
    /// as <paramref name="y"/>) to every output when it is given, then clamping at zero when <paramref name="relu"/>:
    /// a residual add fused into the copy out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DropPadding(float* grid, float* y, long first, long end, float* residual, bool relu)
    {
        for (long r = first; r < end; r++)
        {
            float* source = grid + (r * RunStride), target = y + (r * OutPlane);
            for (int h = 0; h < OutHeight; h++)
            {
                if (residual is null)
                {
                    RowCopy.Copy(source + (h * PlaneWidth), target + (h * OutWidth), OutWidth);
                }
                else
                {
                    RowCopy.AddTo(source + (h * PlaneWidth), residual + (r * OutPlane) + (h * OutWidth), target + (h * OutWidth), OutWidth, relu);
                }
            }
        }
    }

    /// <summary>Gathers sources <c>[first, end)</c> of <paramref name="x"/> (<c>[C][N][H][W]</c>) at
    /// <paramref name="rows"/>: for source <c>c·k² + kh·k + kw</c> and every output position of the batch, the input
    /// under that tap (zero in the padding). Source-major, one row <c>[N·OutPlane]</c> per source; or, when
    /// <paramref name="positionMajor"/>, position <c>q</c>'s sources contiguous at <c>rows + q · Sources</c>.
    /// Sources that <paramref name="read"/> marks unread (no weight of a sparse layer uses them) are skipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Gather(float* x, float* rows, int batch, int first, int end, bool[]? read, bool positionMajor)
    {
        int taps = Kernel * Kernel, plane = Height * Width;
        // Floats between consecutive sources, and between consecutive positions, of the gathered layout.
        long sourceStep = positionMajor ? 1 : (long)batch * OutPlane;
        int step = positionMajor ? Sources : 1;
        for (int j = first; j < end; j++)
        {
            if (read is not null && !read[j])
            {
                continue;
            }
            int c = j / taps, kh = j % taps / Kernel, kw = j % Kernel;
            // The output columns whose input column is inside the image: [left, right).
            int left = Math.Max(0, -FloorDiv(kw - Padding, Stride)), right = Math.Min(OutWidth, FloorDiv(Width - 1 + Padding - kw, Stride) + 1);
            float* row = rows + (j * sourceStep);
            for (int n = 0; n < batch; n++)
            {
                float* source = x + ((((long)c * batch) + n) * plane);
                for (int oy = 0; oy < OutHeight; oy++, row += (long)OutWidth * step)
                {
                    int iy = (oy * Stride) + kh - Padding;
                    // Rows above or below the image gather only zeros.
                    int from = iy >= 0 && iy < Height ? Math.Min(left, OutWidth) : OutWidth, to = from < OutWidth ? right : OutWidth;
                    float* line = source + (iy * Width) + kw - Padding;
                    for (int ox = 0; ox < from; ox++)
                    {
                        row[ox * step] = 0;
                    }
                    for (int ox = from; ox < to; ox++)
                    {
                        row[ox * step] = line[ox * Stride];
                    }
                    for (int ox = Math.Max(from, to); ox < OutWidth; ox++)
                    {
                        row[ox * step] = 0;
                    }
                }
            }
        }
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);

    // The padding of a stride-1 plane: the top and bottom rows, and the columns left and right of the image rows.
    private void ClearBorder(float* target)
    {
        if (Padding == 0)
        {
            return;
        }
        new Span<float>(target, Padding * PlaneWidth).Clear();
        new Span<float>(target + ((Padding + Height) * PlaneWidth), (PlaneHeight - Padding - Height) * PlaneWidth).Clear();
        for (int u = Padding; u < Padding + Height; u++)
        {
            float* row = target + (u * PlaneWidth);
            for (int i = 0; i < Padding; i++)
            {
                row[i] = 0;
                row[PlaneWidth - 1 - i] = 0;
            }
        }
    }

    // One phase plane (padding already zero): target[u][v] = padded source[u·s + a][v·s + b] where that is inside the input.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CopyPhase(float* source, float* target, int a, int b)
    {
        // The plane columns whose input column v·s + b - Padding is inside the image: [from, to).
        int from = Math.Max(0, -FloorDiv(b - Padding, Stride)), to = Math.Min(PlaneWidth, FloorDiv(Width - 1 + Padding - b, Stride) + 1);
        for (int u = 0; u < PlaneHeight; u++)
        {
            int y = (u * Stride) + a - Padding;
            if (y < 0 || y >= Height)
            {
                continue;
            }
            float* row = target + (u * PlaneWidth), line = source + (y * Width);
            if (Stride == 1)
            {
                RowCopy.Copy(line, row + Padding, Width);
                continue;
            }
            float* column = line + b - Padding;
            for (int v = from; v < to; v++)
            {
                row[v] = column[v * Stride];
            }
        }
    }
}
