using System.Runtime.Intrinsics.X86;
using System.Text.Json.Serialization;
using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>Settings that only some methods read; defaults follow the original papers (METHODS.md §2, §5). Each
/// method's settings sit beside it (<c>LotteryTicketOptions.cs</c> beside <c>LotteryTicket.cs</c>, …), each declared
/// once there (key, help, parse, range; the default is the property's initial value) and listed with the method in
/// <see cref="PruningMethods.All"/>. One flat record keeps result files and run ids as they were: the JSON order of
/// the properties is pinned by <see cref="JsonPropertyOrderAttribute"/>, since a run id hashes that JSON.</summary>
public sealed partial record MethodOptions
{
    /// <summary>Structured methods: the fewest channels a group keeps.</summary>
    [JsonPropertyOrder(26)]
    public int ChannelFloor { get; init; } = 1;

    /// <summary>Structured methods: each group keeps a multiple of this many channels (or all of them), so that
    /// compacted layers fill the CPU's vector registers; 1 leaves counts as selected.</summary>
    [JsonPropertyOrder(46)]
    public int ChannelMultiple { get; init; } = ChannelSettings.DefaultMultiple;

    /// <summary>Structured methods: keep removing channels (up to <c>--sparsity</c>) until the predicted latency of
    /// the compacted model is at most this fraction of the dense model's; null prunes to <c>--sparsity</c>.</summary>
    [JsonPropertyOrder(47)]
    public double? TargetLatencyRatio { get; init; }

    /// <summary>The batch size the latency target is for.</summary>
    [JsonPropertyOrder(48)]
    public int LatencyBatch { get; init; } = 1;

    /// <summary>Structured methods: training batches that re-estimate the compacted model's BatchNorm statistics
    /// before it is evaluated and fine-tuned (<see cref="Training.BatchNormRecalibration"/>); 0 keeps the
    /// statistics the dense model measured.</summary>
    [JsonPropertyOrder(49)]
    public int RecalibrationBatches { get; init; } = ChannelSettings.DefaultRecalibrationBatches;

    /// <summary>What run ids and variant labels are spelled against: every default, except a setting whose default
    /// changed after runs were made, at the value those runs had (so they keep their ids and labels, and a run at the
    /// new default is told apart from them).</summary>
    public static MethodOptions Reference { get; } = new() { ChannelMultiple = ChannelSettings.LegacyMultiple, RecalibrationBatches = ChannelSettings.LegacyRecalibrationBatches };

    /// <summary>Problems of every setting's range, each naming its flag.</summary>
    public IReadOnlyList<string> Validate() => MethodSettings.Validate(this);
}

/// <summary>Settings shared by the structured methods.</summary>
public static class ChannelSettings
{
    /// <summary>The channel multiple runs use unless told: the float width of this CPU's widest vector unit (16 with
    /// AVX-512, 8 with AVX2, 4 otherwise), the block of ONNX Runtime's NCHWc convolutions. Chosen by measuring
    /// compacted ResNet-20s in ONNX Runtime on an AVX-512 CPU, where blocks of 16 ran 1.6-1.8x faster than dense at
    /// 1.9x fewer MACs and blocks of 1, 4 or 8 no faster than dense (docs/results/performance/aligned-compaction.md).
    /// Machine-dependent, like the kernels it serves: result.json records the value a run used.</summary>
    public static int DefaultMultiple { get; } = Avx512F.IsSupported ? 16 : Avx2.IsSupported ? 8 : 4;

    /// <summary>The multiple every run made before the setting existed had: the value that keeps their run ids.</summary>
    public const int LegacyMultiple = 1;

    /// <summary>Settings whose default differs, or may come to differ, from what the first runs had (see
    /// <see cref="MethodOptions.Reference"/>): a run that does not read one is named at the reference value.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> WithLegacyDefaults => [Multiple, Recalibration];

    /// <summary>BatchNorm recalibration batches unless told (see <see cref="MethodOptions.RecalibrationBatches"/>).</summary>
    public const int DefaultRecalibrationBatches = 0;

    /// <summary>What every run made before recalibration existed did: none.</summary>
    public const int LegacyRecalibrationBatches = 0;

    /// <summary>BatchNorm recalibration of the compacted model.</summary>
    public static ISetting<MethodOptions> Recalibration { get; } = new SettingKinds<MethodOptions>().WholeNumber("bn-recalibrate",
        "training batches that re-estimate the compacted model's BatchNorm statistics before it is evaluated and fine-tuned (0 = keep the dense model's)",
        o => o.RecalibrationBatches, (o, v) => o with { RecalibrationBatches = v }, SettingRange.AtLeast<MethodOptions, int>(0));

    /// <summary>The fewest channels a channel group keeps.</summary>
    public static ISetting<MethodOptions> Floor { get; } = new SettingKinds<MethodOptions>().WholeNumber("channel-floor", "fewest channels a channel group keeps",
        o => o.ChannelFloor, (o, v) => o with { ChannelFloor = v }, SettingRange.AtLeast<MethodOptions, int>(1));

    /// <summary>The latency target of the channel methods that prune to a fraction.</summary>
    public static ISetting<MethodOptions> TargetLatencyRatio { get; } = new SettingKinds<MethodOptions>().OptionalNumber("target-latency-ratio",
        "remove channels (at most --sparsity of them) until the compacted model's predicted ONNX Runtime latency is at most this fraction of the dense one's",
        o => o.TargetLatencyRatio, (o, v) => o with { TargetLatencyRatio = v },
        (_, v) => v is null || v is > 0 and <= 1 ? null : SettingRange.Problem("must be in (0, 1]", v));

    /// <summary>The batch the latency target is measured at.</summary>
    public static ISetting<MethodOptions> LatencyBatch { get; } = new SettingKinds<MethodOptions>().WholeNumber("latency-batch",
        "batch size --target-latency-ratio is predicted and measured at", o => o.LatencyBatch, (o, v) => o with { LatencyBatch = v },
        SettingRange.AtLeast<MethodOptions, int>(1));

    /// <summary>Each group keeps a multiple of this many channels (or the whole group).</summary>
    public static ISetting<MethodOptions> Multiple { get; } = new SettingKinds<MethodOptions>().WholeNumber("channel-multiple",
        "each channel group keeps a multiple of this many channels, or all (vector-width alignment; 1 = as selected)",
        o => o.ChannelMultiple, (o, v) => o with { ChannelMultiple = v }, SettingRange.AtLeast<MethodOptions, int>(1));
}
