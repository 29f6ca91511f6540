using System.Globalization;
using System.Text.Json.Serialization;

namespace Shear.Masks;

/// <summary>Where a pruning run's target sparsity comes from.</summary>
public enum SparsityTargetKind
{
    /// <summary>A fraction the user gave (<c>--sparsity</c>, a sweep's matrix).</summary>
    Fraction,

    /// <summary>None: the method finds each layer's sparsity itself (dpp, cdp-dtc).</summary>
    Automatic,

    /// <summary>The realised sparsity of another run, copied (<c>--sparsity-of</c>).</summary>
    Matched,
}

/// <summary>
/// What sparsity a pruning run aims at: a fraction, automatic, or matched to another run. Replaces the 0 that
/// automatic methods used to carry as a target, so that tables, groups and figures can tell the three apart.
/// </summary>
public sealed record SparsityTarget
{
    /// <summary>Digits a fraction is rounded to before it is compared or grouped (config values are decimals).</summary>
    private const int GroupDigits = 9;

    [JsonConstructor]
    private SparsityTarget(SparsityTargetKind kind, double? value, string? source) => (Kind, Value, Source) = (kind, value, source);

    /// <summary>Which kind of target.</summary>
    public SparsityTargetKind Kind { get; }

    /// <summary>The fraction of counted weights to remove: given, or copied from the matched run; null when
    /// automatic.</summary>
    public double? Value { get; }

    /// <summary>The method of the run a matched target copied (e.g. <c>dpp</c>); null otherwise.</summary>
    public string? Source { get; }

    /// <summary>The target of a run that removes nothing, such as dense training.</summary>
    public static SparsityTarget None { get; } = Fraction(0);

    /// <summary>The target of a method that chooses its own sparsity.</summary>
    public static SparsityTarget Automatic { get; } = new(SparsityTargetKind.Automatic, null, null);

    /// <summary>A given fraction of the counted weights to remove.</summary>
    public static SparsityTarget Fraction(double fraction) => new(SparsityTargetKind.Fraction, fraction, null);

    /// <summary>The realised <paramref name="fraction"/> of a run of <paramref name="method"/>, copied.</summary>
    public static SparsityTarget MatchedTo(string method, double fraction) => new(SparsityTargetKind.Matched, fraction, method);

    /// <summary>A target matched to a run of <paramref name="method"/> that has not finished yet (a sweep plans it
    /// before the run it copies from exists); <see cref="Value"/> is null until <see cref="Resolve"/>.</summary>
    public static SparsityTarget Pending(string method) => new(SparsityTargetKind.Matched, null, method);

    /// <summary>A matched target whose source's realised sparsity is not known yet.</summary>
    public bool IsPending => Kind == SparsityTargetKind.Matched && Value is null;

    /// <summary>This pending target with its source's realised <paramref name="fraction"/>.</summary>
    public SparsityTarget Resolve(double fraction) => IsPending ? MatchedTo(Source!, fraction)
        : throw new InvalidOperationException($"only a pending matched target is resolved, not {Kind} {this}");

    /// <summary>What tables show instead of a number: <c>auto</c>, <c>as dpp</c>; null for a given fraction.</summary>
    public string? Label => Kind switch
    {
        SparsityTargetKind.Fraction => null,
        SparsityTargetKind.Automatic => "auto",
        SparsityTargetKind.Matched => "as " + Source,
        _ => throw new InvalidOperationException($"unknown target kind {Kind}"),
    };

    /// <summary>
    /// Which runs share a row: equal fractions (rounded, so 0.5 from YAML and 0.5 from a sum meet), every automatic
    /// run, every run matched to the same method (each seed copies its own source's fraction).
    /// </summary>
    public string GroupKey => Label ?? Math.Round(Value!.Value, GroupDigits).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>As tables show it: <c>90 %</c>, <c>99.5 %</c>, <c>auto</c>, <c>as dpp</c>.</summary>
    public override string ToString() => Label ?? Percent(Value!.Value);

    /// <summary>A fraction as a target percentage: <c>90 %</c>.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
