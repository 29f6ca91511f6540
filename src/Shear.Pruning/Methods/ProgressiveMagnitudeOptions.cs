using System.Text.Json.Serialization;
using Shear.Pruning.Schedules;
using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>The settings of progressive magnitude pruning (<see cref="ProgressiveMagnitude"/>).</summary>
public sealed partial record MethodOptions
{
    /// <summary>PMP: s0, the sparsity the ramp starts from (the authors' VGG-19 run jumps to 0.5).</summary>
    [JsonPropertyOrder(9)]
    public double PmpInitialSparsity { get; init; }

    /// <summary>PMP: 0-based epoch of the first mask update; the model trains dense before it.</summary>
    [JsonPropertyOrder(10)]
    public int PmpStartEpoch { get; init; }

    /// <summary>PMP: epochs by which the final sparsity is reached (the pruning horizon P); null = the last epoch, as
    /// in the authors' ResNet-18 runs. The mask is held from then on.</summary>
    [JsonPropertyOrder(11)]
    public int? PmpHorizon { get; init; }

    /// <summary>PMP: optimizer steps between mask updates; null = once per epoch, at its start (the authors' code).</summary>
    [JsonPropertyOrder(12)]
    public int? PmpFrequency { get; init; }

    /// <summary>PMP: shape of the ramp; cubic is gradual magnitude pruning's.</summary>
    [JsonPropertyOrder(13)]
    public RampShape PmpRamp { get; init; } = RampShape.Linear;

    /// <summary>PMP: whether pruned weights may come back (masks then only zero the weights before forward, as in
    /// the authors' VGG-19 notebook); off by default: masks are monotone.</summary>
    [JsonPropertyOrder(14)]
    public bool PmpRegrowth { get; init; }
}

/// <summary>The settings of progressive magnitude pruning (<see cref="ProgressiveMagnitude"/>), declared once for the CLI, configs, <c>config show</c> and validation; the
/// registry lists them with the method.</summary>
public static class ProgressiveMagnitudeSettings
{
    private static readonly SettingKinds<MethodOptions> _s = new();

    /// <summary>progressive magnitude pruning (<see cref="ProgressiveMagnitude"/>): every setting, in help and config order.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> All { get; } =
    [
        _s.Number("pmp-initial-sparsity", "s0, the sparsity the linear ramp starts from", o => o.PmpInitialSparsity, (o, v) => o with { PmpInitialSparsity = v },
            SettingRange.Within<MethodOptions>("[0, 1)", v => v is >= 0 and < 1)),
        _s.WholeNumber("pmp-start-epoch", "0-based epoch of the first mask update (dense before it)", o => o.PmpStartEpoch, (o, v) => o with { PmpStartEpoch = v },
            SettingRange.AtLeast<MethodOptions, int>(0)),
        _s.OptionalWholeNumber("pmp-horizon", "epoch by which the final sparsity is reached, then held (default: the last epoch)", o => o.PmpHorizon, (o, v) => o with { PmpHorizon = v },
            (o, v) => v is null || v > o.PmpStartEpoch ? null : SettingRange.Problem($"must be after --pmp-start-epoch ({o.PmpStartEpoch})", v)),
        _s.OptionalWholeNumber("pmp-frequency", "optimizer steps between mask updates (default: once per epoch, at its start)", o => o.PmpFrequency, (o, v) => o with { PmpFrequency = v },
            SettingRange.AtLeastWhenGiven<MethodOptions>(1)),
        _s.Choice<RampShape>("pmp-ramp", "linear | cubic ramp (cubic is gmp's schedule)", o => o.PmpRamp, (o, v) => o with { PmpRamp = v }),
        _s.Flag("pmp-regrowth", "let pruned weights come back (masks only zero weights before forward)", o => o.PmpRegrowth, (o, v) => o with { PmpRegrowth = v }),
    ];

    /// <summary>The ramp cannot start above where it ends, and it must start and end within the epochs it runs over:
    /// E from scratch, F from a trained model (<c>--from</c>), so that check waits until the start is known.</summary>
    public static IEnumerable<string> Check(PruningRequest request, RunShape shape)
    {
        if (request.Method.PmpInitialSparsity > request.Sparsity)
        {
            yield return SettingRange.Problem($"--pmp-initial-sparsity must be at most --sparsity ({SettingText.Show(request.Sparsity)})", request.Method.PmpInitialSparsity);
        }
        if (shape.FromTrained is bool fromTrained)
        {
            var (epochs, span) = fromTrained
                ? (request.FinetuneEpochs, $"the {request.FinetuneEpochs} fine-tune epochs it trains after --from (--finetune-epochs)")
                : (request.Training.Epochs, $"the {request.Training.Epochs} epochs it trains (--epochs)");
            if (Within(request.Method, epochs, span) is string problem)
            {
                yield return problem;
            }
        }
    }

    /// <summary>Whether the start epoch and the horizon lie within a run of <paramref name="epochs"/> epochs, which
    /// <paramref name="span"/> names in the message; null when they do.</summary>
    public static string? Within(MethodOptions options, int epochs, string span) =>
        options.PmpStartEpoch >= epochs ? SettingRange.Problem($"--pmp-start-epoch must be below {span}", options.PmpStartEpoch)
        : options.PmpHorizon > epochs ? SettingRange.Problem($"--pmp-horizon must be at most {span}", options.PmpHorizon)
        : null;
}
