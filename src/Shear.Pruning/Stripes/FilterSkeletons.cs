using Shear.Graphs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shear.Pruning.Stripes;

/// <summary>
/// Filter skeletons (stripe-wise pruning, Meng et al. 2020; CDP + DTC): a learnable <c>[out, k, k]</c> tensor per
/// k×k convolution, initialised to ones, that multiplies every input channel of the kernel in the forward pass. It is
/// a parameter of its conv module (<c>{conv}.skeleton</c>), so optimizers, weight decay and checkpoints see it, and
/// it reaches the forward pass through the module's weight transform.
/// </summary>
public static class FilterSkeletons
{
    /// <summary>The parameter's name within its conv module.</summary>
    public const string Name = "skeleton";

    /// <summary>Gives convolution <paramref name="conv"/> of <paramref name="model"/> a skeleton (or returns the one it
    /// has).</summary>
    /// <exception cref="ArgumentException">Not a convolution, or a 1×1 one.</exception>
    public static Parameter Attach(GraphModule model, string conv)
    {
        if (model.Graph.Nodes.FirstOrDefault(n => n.Name == conv)?.Layer is not Conv2dSpec { Kernel: > 1 } spec)
        {
            throw new ArgumentException($"{model.Graph.Name}.{conv}: a filter skeleton needs a convolution with a kernel larger than 1x1");
        }
        if (Of(model, conv) is Parameter existing)
        {
            return existing;
        }
        var layer = model.Layer(conv);
        var weight = layer.get_parameter("weight")!;
        var skeleton = new Parameter(ones(spec.OutChannels, spec.Kernel, spec.Kernel, dtype: weight.dtype, device: weight.device));
        layer.register_parameter(Name, skeleton);
        model.SetWeightTransform(conv, kernel =>
        {
            // Looked up per call: moving the module to another dtype or device replaces the parameter.
            using var stripes = layer.get_parameter(Name)!.unsqueeze(1);
            return kernel * stripes;
        });
        return skeleton;
    }

    /// <summary>The skeleton of convolution <paramref name="conv"/>, or null when it has none; a live lookup.</summary>
    public static Parameter? Of(GraphModule model, string conv) =>
        model.Graph.Nodes.Any(n => n.Name == conv && n.Layer is Conv2dSpec) ? model.Layer(conv).get_parameter(Name) : null;

    /// <summary>Every skeleton of <paramref name="model"/> by conv node name, in graph order; live lookups.</summary>
    public static IReadOnlyDictionary<string, Parameter> All(GraphModule model) =>
        model.Graph.Nodes.Where(n => n.Layer is Conv2dSpec).Select(n => (n.Name, Skeleton: model.Layer(n.Name).get_parameter(Name)))
            .Where(x => x.Skeleton is not null).ToDictionary(x => x.Name, x => x.Skeleton!, StringComparer.Ordinal);
}
