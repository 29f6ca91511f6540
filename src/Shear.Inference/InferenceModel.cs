using Shear.Data;
using Shear.Graphs;
using Shear.Inference.Execution;
using Shear.Inference.Kernels;
using Shear.Inference.Loading;

namespace Shear.Inference;

/// <summary>
/// A model run by Shear's own engine, in pure .NET: layers whose sparsity reaches
/// <see cref="InferenceOptions.SparseAbove"/> run sparse kernels that skip their zero weights, the others a
/// register-blocked dense kernel; BatchNorms are folded into the layers before them at load time.
/// <code>
/// var model = InferenceModel.Load("runs/prune/lenet5-pmp-s0.9-seed1");
/// float[] logits = model.Run(images);   // images: [N, C, H, W] floats, normalised as for training
/// </code>
/// Buffers are made once per batch size, so after the first pass at a batch size a pass allocates nothing. A batch
/// runs the layers before its first small one image by image (<see cref="InferenceOptions.ImageByImage"/>). One pass
/// at a time per instance.
/// </summary>
public sealed class InferenceModel : IDisposable
{
    private readonly ExecutionOptions _execution;
    private readonly ExecutionPlan _plan;
    private readonly Dictionary<int, (Workspace Whole, ImageByImage? Images)> _passes = [];

    private InferenceModel(ModelGraph graph, ExecutionPlan plan, InferenceOptions options, ExecutionOptions execution)
    {
        (Graph, _plan, Options, _execution) = (graph, plan, options, execution);
        Layers = [.. plan.Steps.OfType<ConvolutionStep>().Select(s => new LayerKernel(s.Name, s.Weights.Kernel, s.Weights.NonZeros,
            (long)s.Weights.Outputs * s.Weights.Depth))];
    }

    /// <summary>The model's graph.</summary>
    public ModelGraph Graph { get; }

    /// <summary>The options it runs with.</summary>
    public InferenceOptions Options { get; }

    /// <summary>Each conv and linear layer's kernel, in graph order.</summary>
    public IReadOnlyList<LayerKernel> Layers { get; }

    /// <summary>The image shape one sample has.</summary>
    public ImageShape Input => Graph.Input;

    /// <summary>Outputs per sample: the logits of a classifier (the output's channels × positions for a graph that
    /// ends on a spatial value).</summary>
    public int Classes => (int)_plan.Output.Size;

    /// <summary>Loads the model saved in <paramref name="folder"/> (<c>model.json</c>, <c>model.bin</c>, and
    /// <c>masks.bin</c> when present).</summary>
    /// <exception cref="FileNotFoundException">The folder holds no saved model.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or does not fit the model; the message names it.</exception>
    public static InferenceModel Load(string folder, InferenceOptions? options = null)
    {
        var saved = ModelFolder.Load(folder);
        return Create(saved.Graph, saved.Weights, options, Path.Combine(folder, "model.bin"));
    }

    /// <summary>A model from a graph and its tensors by state-dict name (<c>{layer}.weight</c>, BN's
    /// <c>running_mean</c> and <c>running_var</c>, ...).</summary>
    /// <exception cref="InvalidDataException">A tensor is missing or has the wrong shape; the message names it and
    /// <paramref name="source"/>.</exception>
    public static InferenceModel Create(ModelGraph graph, IReadOnlyDictionary<string, WeightTensor> weights, InferenceOptions? options = null, string source = "the weights given")
    {
        options ??= new InferenceOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1, nameof(options));
        var execution = new ExecutionOptions(options.Threads, RowProduct.Resolve(options.Width), options.MinimumParallelWork);
        return new InferenceModel(graph, ExecutionPlan.Compile(graph, new LayerWeights(weights, source, options.SparseAbove, options.StripesAbove), execution), options, execution);
    }

    /// <summary>Ends the worker threads of a model made with more than one thread.</summary>
    public void Dispose() => _execution.Pool.Dispose();

    /// <summary>Logits of <paramref name="images"/> (<c>[N, C, H, W]</c>), as <c>[N, classes]</c>.</summary>
    public float[] Run(ReadOnlySpan<float> images)
    {
        var logits = new float[images.Length / Input.Size * Classes];
        Run(images, logits);
        return logits;
    }

    /// <summary>Writes the logits of <paramref name="images"/> (<c>[N, C, H, W]</c>) into <paramref name="logits"/>
    /// (<c>[N, classes]</c>).</summary>
    /// <exception cref="ArgumentException">The spans' lengths are not whole samples of this model, or disagree.</exception>
    public unsafe void Run(ReadOnlySpan<float> images, Span<float> logits)
    {
        int sample = Input.Size;
        if (images.Length == 0 || images.Length % sample != 0)
        {
            throw new ArgumentException($"{images.Length} floats are not whole images of {Input} ({sample} floats each)", nameof(images));
        }
        int batch = images.Length / sample;
        if (logits.Length != batch * Classes)
        {
            throw new ArgumentException($"{batch} images give {batch * Classes} logits; the span holds {logits.Length}", nameof(logits));
        }
        if (!_passes.TryGetValue(batch, out var pass))
        {
            var whole = new Workspace(_plan, batch, Options.Threads);
            bool byImage = Options.ImageByImage && batch > 1 && _plan.ImageSteps > 0;
            _passes[batch] = pass = (whole, byImage ? new ImageByImage(_plan, whole, Options.Threads) : null);
        }
        var workspace = pass.Whole;
        int first = 0;
        if (pass.Images is { } byImages)
        {
            fixed (float* x = images)
            {
                byImages.Run(x, _execution.Pool);
            }
            first = _plan.ImageSteps;
        }
        else
        {
            // [N][C][HW] in, channel-major [C][N][HW] inside, [N][classes] out.
            var input = _plan.Input;
            Transpose(images, new Span<float>(workspace.Slot(input.Slot), images.Length), batch, input.Channels, input.Plane);
        }
        for (int i = first; i < _plan.Steps.Count; i++)
        {
            _plan.Steps[i].Run(workspace, workspace.States[i]);
        }
        var output = _plan.Output;
        Transpose(new ReadOnlySpan<float>(workspace.Slot(output.Slot), logits.Length), logits, output.Channels, batch, output.Plane);
    }

    // [a][b][plane] → [b][a][plane].
    private static void Transpose(ReadOnlySpan<float> source, Span<float> target, int a, int b, int plane)
    {
        for (int i = 0; i < a; i++)
        {
            for (int j = 0; j < b; j++)
            {
                source.Slice(((i * b) + j) * plane, plane).CopyTo(target.Slice(((j * a) + i) * plane, plane));
            }
        }
    }
}

/// <summary>Which kernel one conv or linear layer runs.</summary>
/// <param name="Name">Layer name.</param>
/// <param name="Kernel"><c>dense</c>, <c>csr</c> (sparse rows) or <c>blocks</c> (rows sharing their sources: stripes).</param>
/// <param name="NonZeros">Non-zero weights (after BN folding).</param>
/// <param name="Weights">All weights.</param>
public sealed record LayerKernel(string Name, string Kernel, long NonZeros, long Weights)
{
    /// <summary>Whether the layer skips its zero weights (a CSR or block kernel).</summary>
    public bool Sparse => Kernel != "dense";

    /// <summary>Fraction of zero weights.</summary>
    public double Sparsity => 1 - ((double)NonZeros / Weights);
}
