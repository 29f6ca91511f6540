namespace Shear.Inference.Execution;

/// <summary>
/// Runs a plan's first <see cref="ExecutionPlan.ImageSteps"/> steps one image at a time (depth first): each image
/// goes through all of them in a workspace of one image, where its activations stay in cache from layer to layer, and
/// the values the later steps read are then copied into the whole batch's workspace at that image's place. Threads
/// take whole images, each with a workspace of its own, so a step's work is never split below one image here.
/// </summary>
internal sealed unsafe class ImageByImage : IParallelWork
{
    private readonly ExecutionPlan _plan;
    private readonly Workspace _whole;
    private readonly Workspace[] _single;

    // The images of the pass in progress ([N][C][H][W]); set for the length of one Run.
    private float* _images;

    /// <summary>Buffers for <paramref name="whole"/>'s batch: one single-image workspace per thread.</summary>
    public ImageByImage(ExecutionPlan plan, Workspace whole, int threads)
    {
        (_plan, _whole) = (plan, whole);
        _single = [.. Enumerable.Range(0, Math.Min(threads, whole.Batch)).Select(_ => new Workspace(plan, 1, 1))];
    }

    /// <summary>Runs the image steps on every image of <paramref name="images"/>, leaving the handed values in the
    /// whole batch's workspace.</summary>
    public void Run(float* images, WorkerPool pool)
    {
        _images = images;
        pool.Run(this, _single.Length);
        _images = null;
    }

    /// <summary>Item <paramref name="item"/>: the item-th share of the images, in its own workspace.</summary>
    public void RunItem(int item)
    {
        var workspace = _single[item];
        int batch = _whole.Batch, shares = _single.Length;
        var input = _plan.Input;
        for (int n = batch * item / shares; n < batch * (item + 1) / shares; n++)
        {
            // One image of [N][C][H][W] is [C][1][H][W]: the input slot's layout at batch 1.
            new ReadOnlySpan<float>(_images + (n * input.Size), (int)input.Size).CopyTo(new Span<float>(workspace.Slot(input.Slot), (int)input.Size));
            for (int i = 0; i < _plan.ImageSteps; i++)
            {
                _plan.Steps[i].Run(workspace, workspace.States[i]);
            }
            foreach (var value in _plan.Handed)
            {
                float* source = workspace.Slot(value.Slot), target = _whole.Slot(value.Slot) + ((long)n * value.Plane);
                long step = (long)batch * value.Plane;
                for (int c = 0; c < value.Channels; c++, source += value.Plane, target += step)
                {
                    RowCopy.Copy(source, target, value.Plane);
                }
            }
        }
    }
}
