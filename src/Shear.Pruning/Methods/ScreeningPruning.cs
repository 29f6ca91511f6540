using Shear.Masks;
using Shear.Pruning.Importance;
using Shear.Pruning.Schedules;
using Shear.Pruning.Screening;
using Shear.Pruning.Selection;
using Shear.Pruning.Structure;

namespace Shear.Pruning.Methods;

/// <summary>What screening removes.</summary>
public enum ScreeningStructure
{
    /// <summary>Connections (single weights), ranked by |w| and their source unit's F.</summary>
    Unstructured,

    /// <summary>Whole channels, ranked per channel group by the channel's F (and a filter magnitude); the model is
    /// compacted.</summary>
    Channel,
}

/// <summary>
/// Screening pruning (Wang, Guo, Liu &amp; Xiao 2025, reconstructed in METHODS.md §3.2): from a trained model, a
/// one-way ANOVA F across classes of every unit's activation on a class-balanced training sample says how much the
/// unit separates the classes; connections or channels are scored by it together with their magnitude and the
/// lowest are removed, in T steps (annealing or linear schedule) with k fine-tune epochs after each step but the
/// last and F after the last. T = 1 is one-shot. Budget E + (T − 1)·k + F.
/// </summary>
public sealed class ScreeningPruning(PruningRequest request) : IPruningMethod
{
    /// <inheritdoc/>
    public PruningOutcome Run(IPruningRunner runner)
    {
        runner.TrainDense();
        var options = request.Method;
        var scorer = new ScreeningScores(options.ScreeningCombine, options.ScreeningAlpha, options.ScreeningNormalise == ScreeningNormalise.Mean, options.ScreeningUnit);
        int steps = options.ScreeningSteps;
        var targets = Enumerable.Range(1, steps)
            .Select(t => StepSchedule.SparsityAfter(options.ScreeningSchedule, t, steps, request.Sparsity, options.ScreeningMu)).ToArray();
        return options.Structure == ScreeningStructure.Channel ? Channels(runner, scorer, targets) : Connections(runner, scorer, targets);
    }

    private PruningOutcome Connections(IPruningRunner runner, ScreeningScores scorer, double[] targets)
    {
        var context = runner.Context;
        var selector = MaskSelectors.For(request.Selection);
        var current = MaskSet.Full(context.Parameters);
        var records = new List<ScreeningStep>();
        for (int t = 1; t <= targets.Length; t++)
        {
            var previous = current;
            current = runner.Prune(StepName(t, targets.Length), () =>
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                var (input, labels) = Sample(context);
                using var scores = scorer.Connections(context, input, labels);
                return selector.Select(scores, previous, targets[t - 1]);
            });
            previous.Dispose();
            records.Add(new ScreeningStep(t, targets[t - 1], current.Sparsity, null));
            FineTune(runner, t, targets.Length, current);
        }
        return new PruningOutcome(current, []) { Details = new ScreeningDetails("unstructured", records) };
    }

    private PruningOutcome Channels(IPruningRunner runner, ScreeningScores scorer, double[] targets)
    {
        // Budgets are fractions of each group's original channel count, so later steps remove more of what is left.
        var original = ChannelGraph.Build(runner.Context.Model.Graph).Groups.ToDictionary(g => g.Producers[0], g => g.Channels, StringComparer.Ordinal);
        var importance = new ScreeningChannelImportance(scorer, request.Method.ScreeningMagnitude, request.Method.ScreeningSamples);
        var records = new List<ScreeningStep>();
        for (int t = 1; t <= targets.Length; t++)
        {
            double target = targets[t - 1];
            int KeepCount(ChannelGroup group)
            {
                int before = original.TryGetValue(group.Producers[0], out int n) ? n : group.Channels;
                return before - (int)Math.Floor(target * before);
            }
            var (plan, _) = ChannelStep.Run(runner, StepName(t, targets.Length), importance, _ => new GroupChannelSelector(KeepCount, request.Method.ChannelFloor), target, request.Method);
            records.Add(new ScreeningStep(t, target, null, 1 - ((double)plan.Kept / original.Values.Sum())));
            FineTune(runner, t, targets.Length, masks: null);
        }
        return new PruningOutcome(null, []) { Details = new ScreeningDetails("channel", records) };
    }

    private void FineTune(IPruningRunner runner, int step, int steps, MaskSet? masks)
    {
        if (step < steps)
        {
            runner.Train($"step-{step}", request.Method.ScreeningStepEpochs, masks, fineTune: true);
        }
        else
        {
            runner.Train("finetune", request.FinetuneEpochs, masks, fineTune: true);
        }
    }

    private (TorchSharp.torch.Tensor Input, TorchSharp.torch.Tensor Labels) Sample(PruningContext context) =>
        context.ClassBalancedBatch(Math.Max(1, request.Method.ScreeningSamples / context.Classes), "screening");

    private static string StepName(int step, int steps) => steps == 1 ? "screen" : $"screen-{step}";
}

/// <summary>One screening step in a result's details.</summary>
/// <param name="Step">1-based step.</param>
/// <param name="Target">Target sparsity (of weights, or of each group's channels).</param>
/// <param name="WeightSparsity">Counted weight sparsity after the step (unstructured).</param>
/// <param name="ChannelsRemoved">Fraction of all prunable channels removed so far (channel).</param>
public sealed record ScreeningStep(int Step, double Target, double? WeightSparsity, double? ChannelsRemoved);

/// <summary>Screening's details: its structure and its steps.</summary>
/// <param name="Structure">unstructured or channel.</param>
/// <param name="Steps">Each step's target and outcome.</param>
public sealed record ScreeningDetails(string Structure, IReadOnlyList<ScreeningStep> Steps);
