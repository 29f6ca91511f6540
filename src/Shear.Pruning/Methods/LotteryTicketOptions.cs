using System.Text.Json.Serialization;
using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>The settings of Lottery Ticket (<see cref="LotteryTicket"/>).</summary>
public sealed partial record MethodOptions
{
    /// <summary>LTH: fraction of the remaining weights pruned per round (p).</summary>
    [JsonPropertyOrder(1)]
    public double LthRate { get; init; } = 0.2;

    /// <summary>LTH: rounds; null derives the fewest rounds of <see cref="LthRate"/> that reach the sparsity.</summary>
    [JsonPropertyOrder(2)]
    public int? LthRounds { get; init; }

    /// <summary>LTH: optimizer step whose weights survivors are rewound to (0 = the initial weights).</summary>
    [JsonPropertyOrder(3)]
    public long RewindStep { get; init; }
}

/// <summary>The settings of Lottery Ticket (<see cref="LotteryTicket"/>), declared once for the CLI, configs, <c>config show</c> and validation; the
/// registry lists them with the method.</summary>
public static class LotteryTicketSettings
{
    private static readonly SettingKinds<MethodOptions> _s = new();

    /// <summary>Lottery Ticket (<see cref="LotteryTicket"/>): every setting, in help and config order.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> All { get; } =
    [
        _s.Number("lth-rate", "fraction of the remaining weights pruned per round", o => o.LthRate, (o, v) => o with { LthRate = v },
            SettingRange.Within<MethodOptions>("(0, 1)", v => v is > 0 and < 1)),
        _s.OptionalWholeNumber("lth-rounds", "rounds (default: the fewest rounds of --lth-rate that reach --sparsity)", o => o.LthRounds, (o, v) => o with { LthRounds = v },
            SettingRange.AtLeastWhenGiven<MethodOptions>(1)),
        _s.LongWholeNumber("rewind-step", "rewind survivors to their weights after this optimizer step (0 = initial)", o => o.RewindStep, (o, v) => o with { RewindStep = v },
            SettingRange.AtLeast<MethodOptions, long>(0)),
    ];

    /// <summary>The rewind point must come within the dense training, which is as long as a round: its optimizer
    /// steps follow from the training-set size, so this check waits until the data is known.</summary>
    public static IEnumerable<string> Check(PruningRequest request, RunShape shape)
    {
        var training = request.Training;
        if (shape.StepsPerEpoch(training) is long perEpoch && request.Method.RewindStep > perEpoch * training.Epochs)
        {
            yield return SettingRange.Problem($"--rewind-step must be at most the {perEpoch * training.Epochs} optimizer steps of a round "
                + $"(--epochs {training.Epochs} x {perEpoch} batches of --batch {training.BatchSize})", request.Method.RewindStep);
        }
    }
}
