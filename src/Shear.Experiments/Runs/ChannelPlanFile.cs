using System.Text.Json;
using Shear.IO;
using Shear.Pruning.Structure;

namespace Shear.Experiments.Runs;

/// <summary>
/// A <see cref="ChannelPlan"/> in a run folder (<c>plans/&lt;step&gt;.json</c>), so that a resumed run compacts
/// exactly as the killed one did: each group's producers and its channels as a string of <c>1</c> (kept) and
/// <c>0</c> (removed). Loading checks the plan against the groups of the model it is applied to.
/// </summary>
public static class ChannelPlanFile
{
    /// <summary>Writes <paramref name="plan"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, ChannelPlan plan)
    {
        var keep = plan.Keep;
        var groups = plan.Channels.Groups.Select(g => new GroupEntry(g.Producers, string.Concat(keep[g.Id].Select(k => k ? '1' : '0')))).ToList();
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new PlanEntry(groups), _options));
    }

    /// <summary>Reads the plan at <paramref name="path"/> for the groups of <paramref name="channels"/>.</summary>
    /// <exception cref="InvalidDataException">Not a plan, or one for other groups; the message names the file.</exception>
    public static ChannelPlan Load(string path, ChannelGraph channels)
    {
        PlanEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize<PlanEntry>(File.ReadAllText(path), _options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a channel plan ({e.Message})", e);
        }
        var groups = entry?.Groups ?? throw new InvalidDataException($"{path}: not a channel plan");
        if (groups.Count != channels.Groups.Count)
        {
            throw new InvalidDataException($"{path}: {groups.Count} channel groups, the model has {channels.Groups.Count}");
        }
        var keep = channels.Groups.Select(g =>
        {
            var saved = groups[g.Id];
            if (saved.Producers is null || !saved.Producers.SequenceEqual(g.Producers) || saved.Keep is null || saved.Keep.Length != g.Channels
                || saved.Keep.Any(c => c is not ('0' or '1')))
            {
                throw new InvalidDataException($"{path}: group {g.Id} does not match the model's ({string.Join(", ", g.Producers)}, {g.Channels} channels)");
            }
            return saved.Keep.Select(c => c == '1').ToArray();
        }).ToList();
        try
        {
            return new ChannelPlan(channels, keep);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static readonly JsonSerializerOptions _options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    private sealed record PlanEntry(IReadOnlyList<GroupEntry>? Groups);

    private sealed record GroupEntry(IReadOnlyList<string>? Producers, string? Keep);
}
