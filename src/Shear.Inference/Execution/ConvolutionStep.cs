using Shear.Inference.Kernels;

namespace Shear.Inference.Execution;

/// <summary>
/// A convolution or linear layer (with its BN folded in and its ReLU fused) as a row product over sources. A 1x1,
/// stride-1, unpadded layer (and every linear layer, whose features are a 1x1 image) reads its input in place: source
/// <c>c</c> is channel row <c>c</c> and the positions of the whole batch are one run, cut into pieces for threads.
/// Any other layer first copies each image into zero-padded planes split by stride phase (<c>[n][c][phase][Hh][Wh]</c>,
/// phase <c>(kh mod s, kw mod s)</c>), where every output position of one image is one run and each kernel tap a fixed
/// shift of it: the sum of shifted 1x1 products that direct sparse convolution uses, with no im2col. Outputs computed
/// on the padded grid are then copied out without the padding columns. Layers on very small planes, where the padded
/// grid would be mostly padding, gather their sources (im2col) and then run as a direct layer does; with fewer positions
/// than a register (batch 1) they gather position-major and run a dot product per row and position. A layer may also
/// read its planes as the layer before wrote them, write its output as the next layer's planes (<see cref="PlaneLayout"/>),
/// or add a residual term as it copies its output out (<see cref="ResidualAdd"/>).
/// </summary>
internal sealed unsafe class ConvolutionStep(ConvolutionShape shape, RowWeights weights, bool relu, int input, int output, ExecutionOptions options, PlaneLayout layout = default, ResidualAdd? residual = null) : IStep, IParallelWork
{
    // What the pool's items are during a Run on several threads (one such pass at a time per model). A binding for
    // one thread never touches these, so workspaces of one image each can run the step on several threads at once.
    private Workspace? _workspace;
    private Binding? _binding;
    private Stage _stage;

    // Sources that a sparse layer's weights read (null: every source); gathering skips the others.
    private readonly bool[]? _read = weights.Indexed ? Read(weights, shape) : null;

    /// <summary>The layer's name in the graph.</summary>
    public string Name => shape.Name;

    /// <summary>The weights the kernels run (dense or CSR).</summary>
    public RowWeights Weights => weights;

    /// <inheritdoc/>
    public long ScratchIn(int batch) => shape.Direct || layout.ReadsPlanes ? 0
        : shape.Gathered ? (long)shape.Sources * batch * shape.OutPlane
        : ((long)batch * shape.InChannels * shape.Phases * shape.PhasePlane) + ConvolutionShape.Tile;

    /// <inheritdoc/>
    public long ScratchOut(int batch) => shape.Phased && !layout.WritesPlanes ? (long)batch * shape.OutChannels * shape.RunStride : 0;

    /// <inheritdoc/>
    public object? Bind(int batch, int threads)
    {
        // One offset per source (dense) or per non-zero (CSR), relative to the start of a segment's input.
        int[] sourceOffsets = [.. Enumerable.Range(0, shape.Sources).Select(j => shape.SourceOffset(j, batch))];
        int[] offsets = weights.Indexed ? [.. weights.Sources!.Select(j => sourceOffsets[j])] : sourceOffsets;
        var pinned = GC.AllocateArray<int>(Math.Max(offsets.Length, 1), pinned: true);
        offsets.CopyTo(pinned, 0);
        // A layer too small to share (InferenceOptions.MinimumParallelWork) runs on the caller's thread:
        // waking the workers would cost more than it saves.
        threads = (long)weights.NonZeros * batch * shape.OutPlane < options.MinimumParallelWork * threads ? 1 : threads;
        bool positionMajor = shape.PositionMajor(batch);
        // Segments: an image each (phased), the batch's positions in pieces (direct, gathered), or one (few positions).
        int segments = shape.Phased ? batch : positionMajor ? 1 : Math.Max(1, Math.Min(threads, batch * shape.OutPlane / 64));
        // Chunks split the output rows, or for blocks (which add into every row) an image's run of positions.
        int chunks = segments >= threads || (weights.Blocked && !shape.Phased) ? 1 : threads;
        return new Binding(pinned, segments, chunks, Enumerable.Range(0, shape.Sources).All(j => sourceOffsets[j] == j), threads, positionMajor);
    }

    /// <inheritdoc/>
    public void Run(Workspace workspace, object? state)
    {
        var binding = (Binding)state!;
        if (binding.Threads > 1)
        {
            (_workspace, _binding) = (workspace, binding);
        }
        if (shape.Phased && binding.Chunks == 1)
        {
            // One image per item, start to end: its planes are still in cache when its rows read them, and its
            // output grid when the padding is dropped.
            RunStage(workspace, binding, Stage.Image, workspace.Batch);
        }
        else
        {
            if (shape.Phased && !layout.ReadsPlanes)
            {
                RunStage(workspace, binding, Stage.Split, workspace.Batch);
            }
            else if (shape.Gathered)
            {
                RunStage(workspace, binding, Stage.Gather, binding.Threads);
            }
            RunStage(workspace, binding, Stage.Rows, binding.Segments * binding.Chunks);
            if (shape.Phased)
            {
                RunStage(workspace, binding, Stage.Drop, binding.Threads);
            }
        }
        if (binding.Threads > 1)
        {
            (_workspace, _binding) = (null, null);
        }
    }

    private void RunStage(Workspace workspace, Binding binding, Stage stage, int items)
    {
        if (binding.Threads == 1)
        {
            for (int i = 0; i < items; i++)
            {
                Work(workspace, binding, stage, i);
            }
        }
        else
        {
            _stage = stage;
            options.Pool.Run(this, items);
        }
    }

    /// <inheritdoc/>
    public void RunItem(int item) => Work(_workspace!, _binding!, _stage, item);

    private void Work(Workspace workspace, Binding binding, Stage stage, int item)
    {
        switch (stage)
        {
            case Stage.Split:
                shape.SplitPhases(workspace.Slot(input), workspace.ScratchIn, workspace.Batch, item);
                break;
            case Stage.Gather:
                int parts = binding.Threads;
                int first = shape.Sources * item / parts, end = shape.Sources * (item + 1) / parts;
                shape.Gather(workspace.Slot(input), workspace.ScratchIn, workspace.Batch, first, end, _read, binding.PositionMajor);
                break;
            case Stage.Rows:
                RunRows(workspace, binding, item);
                break;
            case Stage.Image:
                if (!layout.ReadsPlanes)
                {
                    shape.SplitPhases(workspace.Slot(input), workspace.ScratchIn, workspace.Batch, item);
                }
                RunRows(workspace, binding, item);
                if (layout.WritesPlanes)
                {
                    shape.ClearBorders(OutputPlanes(workspace, item), shape.OutChannels);
                    break;
                }
                for (int o = 0; o < shape.OutChannels; o++)
                {
                    long row = ((long)o * workspace.Batch) + item;
                    shape.DropPadding(workspace.ScratchOut, workspace.Slot(output), row, row + 1, Residual(workspace), residual?.Relu ?? false);
                }
                break;
            case Stage.Drop when layout.WritesPlanes:
                for (int n = workspace.Batch * item / binding.Threads; n < workspace.Batch * (item + 1) / binding.Threads; n++)
                {
                    shape.ClearBorders(OutputPlanes(workspace, n), shape.OutChannels);
                }
                break;
            default:
                long rows = (long)shape.OutChannels * workspace.Batch;
                shape.DropPadding(workspace.ScratchOut, workspace.Slot(output), rows * item / binding.Threads, rows * (item + 1) / binding.Threads, Residual(workspace), residual?.Relu ?? false);
                break;
        }
    }

    // Item i: one segment (an image, or a piece of the positions) and one chunk of the output rows.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void RunRows(Workspace workspace, Binding binding, int item)
    {
        int segment = item / binding.Chunks, chunk = item % binding.Chunks;
        int n = workspace.Batch;
        int rows = (weights.Outputs + binding.Chunks - 1) / binding.Chunks;
        rows = (rows + RowWeights.Block - 1) / RowWeights.Block * RowWeights.Block;
        bool blocked = weights.Blocked;
        var task = new RowTask
        {
            Offsets = RowWeights.Address(binding.Offsets),
            OStart = blocked ? 0 : chunk * rows,
            OEnd = blocked ? weights.Outputs : Math.Min(weights.Outputs, (chunk + 1) * rows),
            Relu = relu,
            Contiguous = binding.Contiguous,
        };
        if (task.OStart >= task.OEnd)
        {
            return;
        }
        if (!shape.Phased)
        {
            // The batch's positions, cut into equal pieces.
            long total = (long)n * shape.OutPlane;
            int start = (int)(total * segment / binding.Segments), end = (int)(total * (segment + 1) / binding.Segments);
            task.X = (shape.Direct ? workspace.Slot(input) : workspace.ScratchIn) + start;
            task.Y = workspace.Slot(output) + start;
            (task.OutRow, task.Length) = ((int)total, end - start);
            if (binding.PositionMajor)
            {
                task.X = workspace.ScratchIn;
                task.PositionStride = shape.Sources;
            }
        }
        else
        {
            // One image: its phase planes in (split here, or written so by the layer before), its padded-grid run out
            // in whole tiles (or exactly, straight into the next layer's planes).
            long image = (long)segment * shape.InChannels * shape.Phases * shape.PhasePlane;
            task.X = (layout.ReadsPlanes ? workspace.Slot(input) : workspace.ScratchIn) + image;
            if (layout.WritesPlanes)
            {
                task.Y = OutputPlanes(workspace, segment) + shape.PlanesStart;
                (task.OutRow, task.Length) = (shape.PhasePlane, shape.Run);
            }
            else
            {
                task.Y = workspace.ScratchOut + ((long)segment * shape.RunStride);
                (task.OutRow, task.Length) = (n * shape.RunStride, shape.RunStride);
            }
            if (blocked && binding.Chunks > 1)
            {
                // This chunk's tiles of the run; a short last piece starts a tile before its end (blocks recompute an
                // overlap from the bias, so both threads write the same values there).
                int tiles = (task.Length + ConvolutionShape.Tile - 1) / ConvolutionShape.Tile;
                int from = tiles * chunk / binding.Chunks * ConvolutionShape.Tile, to = Math.Min(task.Length, tiles * (chunk + 1) / binding.Chunks * ConvolutionShape.Tile);
                if (from >= to)
                {
                    return;
                }
                from = Math.Max(0, Math.Min(from, to - ConvolutionShape.Tile));
                task.X += from;
                task.Y += from;
                task.Length = to - from;
            }
        }
        RowProduct.Run(weights, task, options.Width);
    }

    // The term a fused residual add adds to this layer's output (null when there is none).
    private float* Residual(Workspace workspace) => residual is { } add ? workspace.Slot(add.Slot) : null;

    // Image n's planes in the output slot of a layer that writes the next one's planes.
    private float* OutputPlanes(Workspace workspace, int n) => workspace.Slot(output) + ((long)n * shape.OutChannels * shape.PhasePlane);

    private static bool[] Read(RowWeights weights, ConvolutionShape shape)
    {
        var read = new bool[shape.Sources];
        foreach (int j in weights.Sources!)
        {
            read[j] = true;
        }
        return read;
    }

    private enum Stage
    {
        Image,
        Split,
        Gather,
        Rows,
        Drop,
    }

    private sealed record Binding(int[] Offsets, int Segments, int Chunks, bool Contiguous, int Threads, bool PositionMajor);
}

/// <summary>Whether a convolution reads its input already as padded planes (the layer before wrote them) and whether
/// it writes its output as the next convolution's planes (see <see cref="ConvolutionShape.Chains"/>).</summary>
/// <param name="ReadsPlanes">The input slot holds this layer's phase planes, <c>[N][C][PhasePlane]</c>.</param>
/// <param name="WritesPlanes">The output slot receives the next layer's planes instead of <c>[C][N][H][W]</c>.</param>
internal readonly record struct PlaneLayout(bool ReadsPlanes, bool WritesPlanes);

/// <summary>A residual add (and the ReLU after it) fused into a phased convolution's copy out of its padded grid: the
/// output is <c>conv + the value in <see cref="Slot"/></c>, which was computed before the convolution.</summary>
/// <param name="Slot">The slot of the add's other term (<c>[C][N][H][W]</c>).</param>
/// <param name="Relu">Whether a ReLU follows the add.</param>
internal sealed record ResidualAdd(int Slot, bool Relu);
