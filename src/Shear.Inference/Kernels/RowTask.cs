namespace Shear.Inference.Kernels;

/// <summary>
/// One call of a row-product kernel: for output rows <c>[OStart, OEnd)</c> and positions <c>q</c> in
/// <c>[0, Length)</c>, <c>Y[o · OutRow + q] = act(bias[o] + Σ_j W[o, j] · X[Offsets[j] + q])</c>. For CSR weights
/// <see cref="Offsets"/> holds one offset per non-zero instead of one per source. Pointers stay valid for the call.
/// </summary>
internal unsafe struct RowTask
{
    /// <summary>Input of this segment (an image's planes, or a slice of positions).</summary>
    public float* X;

    /// <summary>Output of this segment, row <c>o</c> at <c>Y + o · OutRow</c>.</summary>
    public float* Y;

    /// <summary>Per source (dense) or per non-zero (CSR): where its input row starts, relative to <see cref="X"/>.</summary>
    public int* Offsets;

    /// <summary>Floats between consecutive output rows.</summary>
    public int OutRow;

    /// <summary>Positions per row in this segment.</summary>
    public int Length;

    /// <summary>First output row (a multiple of <see cref="RowWeights.Block"/> for dense weights).</summary>
    public int OStart;

    /// <summary>One past the last output row.</summary>
    public int OEnd;

    /// <summary>Whether negative results are clamped to zero (a fused ReLU).</summary>
    public bool Relu;

    /// <summary>Non-zero when the input is position-major (few positions, gathered): position <c>q</c>'s sources are
    /// contiguous at <c>X + q · PositionStride</c>, and each row is a dot product per position.</summary>
    public int PositionStride;

    /// <summary>Whether the input rows of a single position are contiguous (<c>Offsets[j] == j</c>), so a dense row is
    /// one dot product.</summary>
    public bool Contiguous;
}
