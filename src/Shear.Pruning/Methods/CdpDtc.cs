using Shear.Masks;
using Shear.Pruning.Selection;
using Shear.Pruning.Stripes;
using Shear.Pruning.Structure;
using static TorchSharp.torch;

namespace Shear.Pruning.Methods;

/// <summary>
/// CDP + DTC (Li, Wang, Wu &amp; Kang, AI Communications 2023; METHODS.md §4): every k×k convolution gets a filter
/// skeleton; the model trains E epochs from scratch with CDP's penalty and the dynamic threshold container applied
/// at every step; then the final structural pruning with the fixed threshold drops stripes and empty filters, the
/// model is compacted through the channel graph, and it is fine-tuned F epochs with the dropped stripes held at zero
/// (the public code has no fine-tune; F = 0 reproduces that). Stripe-sparse kernels still run as dense
/// convolutions: the compacted model's MACs are the executed cost, the effective MACs what skipping stripes would
/// save. Budget E + F.
/// </summary>
public sealed class CdpDtc(PruningRequest request) : IPruningMethod
{
    /// <inheritdoc/>
    public PruningOutcome Run(IPruningRunner runner)
    {
        var options = request.Method;
        var context = runner.Context;
        var channels = ChannelGraph.Build(context.Model.Graph);
        var layers = StripePruning.Layers(context.Model, channels, context.Parameters.Select(p => p.Layer.Name));
        if (layers.Count == 0)
        {
            throw new ArgumentException($"--method cdp-dtc needs k x k convolutions, and {context.Model.Graph.Name} has no prunable one");
        }
        if (options.CdpInit == CdpInit.Swp)
        {
            InitialiseAsSwp(context.Model);
        }
        foreach (var layer in layers)
        {
            FilterSkeletons.Attach(context.Model, layer.Conv);
        }
        var coefficients = new CdpCoefficients(options.CdpForm, options.CdpProp, options.CdpVar, options.CdpVar2, options.CdpL1, options.CdpL2, options.CdpGroup);
        using (var training = new StripeTraining(context.Model, layers, coefficients, options.DtcThreshold))
        {
            runner.TrainDense([training]);
        }

        // Deterministic from the trained weights (and it folds the skeletons into them), so a resumed run redoes it;
        // the stripe mask is then the saved one.
        var (plan, records) = StripePruning.Finalise(context.Model, channels, options.DtcThreshold, options.ChannelFloor, options.DtcFinal);
        // Removed channels are zero, so keeping some back to fill a block changes no output.
        context = runner.Compact(ChannelAlignment.RoundingUp(plan, [.. channels.Groups.Select(g => new double[g.Channels])], options.ChannelMultiple));
        var masks = runner.Prune("stripes", () => NonZero(context.Parameters, layers));
        runner.Train("finetune", request.FinetuneEpochs, masks, fineTune: true);
        return new PruningOutcome(masks, []) { Details = new CdpDtcDetails(coefficients, options.DtcThreshold, records) };
    }

    // SWP's code initialises BN scales to 0.5 and linear layers from N(0, 0.01) (METHODS.md §4.1); a resumed run
    // then loads its checkpoint over this, so it is only ever the starting point.
    private static void InitialiseAsSwp(Graphs.GraphModule model)
    {
        using var noGrad = no_grad();
        foreach (var module in model.modules())
        {
            switch (module)
            {
                case TorchSharp.Modules.BatchNorm2d norm:
                    norm.weight!.fill_(0.5);
                    break;
                case TorchSharp.Modules.Linear linear:
                    linear.weight!.normal_(0, 0.01);
                    linear.bias?.zero_();
                    break;
            }
        }
    }

    // Skeleton layers keep exactly their non-empty stripes (a stripe is all input channels at one kernel position of
    // one filter); every other weight is kept.
    private static MaskSet NonZero(IReadOnlyList<PrunableParameter> parameters, IReadOnlyList<SkeletonLayer> layers)
    {
        var skeletal = layers.Select(l => l.Conv).ToHashSet(StringComparer.Ordinal);
        return new MaskSet(parameters.Select(p =>
        {
            using var noGrad = no_grad();
            var mask = skeletal.Contains(p.Layer.Name)
                ? p.Weight.detach().ne(0).any(1, keepdim: true).expand_as(p.Weight).clone()
                : ones(p.Weight.shape, dtype: ScalarType.Bool, device: p.Weight.device);
            return KeyValuePair.Create(p.Name, mask);
        }));
    }
}

/// <summary>CDP + DTC's details: its coefficients, threshold and each skeleton layer's outcome.</summary>
/// <param name="Coefficients">The penalty's form and coefficients.</param>
/// <param name="Threshold">t.</param>
/// <param name="Layers">Filters and stripes before and after the final pruning.</param>
public sealed record CdpDtcDetails(CdpCoefficients Coefficients, double Threshold, IReadOnlyList<StripeLayerRecord> Layers);
