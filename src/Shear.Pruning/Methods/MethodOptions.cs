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

    /// <summary>Problems of every setting's range, each naming its flag.</summary>
    public IReadOnlyList<string> Validate() => MethodSettings.Validate(this);
}

/// <summary>Settings shared by the structured methods.</summary>
public static class ChannelSettings
{
    /// <summary>The fewest channels a channel group keeps.</summary>
    public static ISetting<MethodOptions> Floor { get; } = new SettingKinds<MethodOptions>().WholeNumber("channel-floor", "fewest channels a channel group keeps",
        o => o.ChannelFloor, (o, v) => o with { ChannelFloor = v }, SettingRange.AtLeast<MethodOptions, int>(1));
}
