using System.CommandLine;
using Shear.Data;
using Shear.Models;
using Shear.Runtime;

namespace Shear.Cli.Commands;

/// <summary>Options that several verbs share, created once per command so each command owns its instances.</summary>
internal sealed class CommonOptions
{
    public Option<string> Model { get; } = new("--model", "-m")
    {
        Description = $"Architecture: {string.Join(", ", ModelZoo.All.Select(d => d.Key))}",
        DefaultValueFactory = _ => "lenet5",
    };

    public Option<string> Data { get; } = new("--data", "-d")
    {
        Description = "fashion-mnist (full set if installed, else the embedded subset), fashion-mnist-subset, or a "
            + "path: IDX folder, CIFAR binary folder, image folder, Tiny ImageNet, .npz",
        DefaultValueFactory = _ => "fashion-mnist",
    };

    public Option<DeviceChoice> Device { get; } = EnumOption.Create("--device", "Device", DeviceChoice.Auto);

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "libtorch intra-op threads (default: all cores)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    public Option<long> Seed { get; } = new("--seed")
    {
        Description = "Seed for initialisation, data order and augmentation",
        DefaultValueFactory = _ => 1,
    };

    // --widths, --stem, --width: the architecture's settings, parsed as a config's model: section.
    private readonly SettingOptions<ModelOptions> _model = new(ModelSettings.All, new ModelOptions());

    public Option<double> Holdout { get; } = new("--holdout")
    {
        Description = "Evaluate on this fraction of the training set, held out from training, instead of the test set (for tuning)",
    };

    /// <summary>Loads <c>--data</c>, holding out <c>--holdout</c> of it when given. The caller owns the split.</summary>
    public DataSplit LoadData(ParseResult result)
    {
        var data = DatasetCatalog.Load(result.GetValue(Data)!);
        double fraction = result.GetValue(Holdout);
        if (fraction == 0)
        {
            return data;
        }
        using (data)
        {
            return fraction is > 0 and <= 0.5 ? data.HoldOut(fraction) : throw new UsageException($"--holdout must be in (0, 0.5], got {fraction}");
        }
    }

    public CommonOptions() => Model.AcceptOnlyFromAmong([.. ModelZoo.All.Select(d => d.Key)]);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command, bool includeModel = true, bool includeData = true)
    {
        if (includeModel)
        {
            command.Add(Model);
            foreach (var option in _model.All)
            {
                command.Add(option);
            }
        }
        if (includeData)
        {
            command.Add(Data);
            command.Add(Holdout);
        }
        command.Add(Device);
        command.Add(Threads);
        command.Add(Seed);
    }

    /// <summary>The architecture options parsed from the command line; a bad value or range names its flag.</summary>
    public ModelOptions ModelOptions(ParseResult result)
    {
        var options = _model.Apply(result, new ModelOptions());
        var problems = options.Validate();
        return problems.Count == 0 ? options : throw new UsageException(string.Join("; ", problems));
    }

    /// <summary>Applies --threads and --device; returns the device.</summary>
    public TorchSharp.torch.Device Apply(ParseResult result)
    {
        int threads = result.GetValue(Threads);
        if (threads < 1)
        {
            throw new UsageException($"--threads must be at least 1, got {threads}");
        }
        TorchSharp.torch.set_num_threads(threads);
        return DeviceSelector.Select(result.GetValue(Device));
    }

    /// <summary>Parses a <c>CxHxW</c> image shape given to <paramref name="flag"/>.</summary>
    public static ImageShape ParseShape(string text, string flag = "--input")
    {
        var parts = text.Split('x');
        var sizes = new int[parts.Length];
        if (parts.Length != 3 || !parts.Select((p, i) => int.TryParse(p, System.Globalization.CultureInfo.InvariantCulture, out sizes[i]) && sizes[i] > 0).All(ok => ok))
        {
            throw new UsageException($"{flag}: '{text}' is not CxHxW with positive integers, e.g. 3x32x32");
        }
        return new ImageShape(sizes[0], sizes[1], sizes[2]);
    }

    /// <summary>Refuses data whose image shape or class count differ from what <paramref name="card"/>'s model expects.</summary>
    public static void EnsureCompatible(ModelCard card, DataSplit data)
    {
        if (card.Input != data.Test.Shape || card.Classes != data.Test.ClassCount)
        {
            throw new UsageException($"--data: the model expects {card.Input} images in {card.Classes} classes, {data.Name} has {data.Test.Shape} in {data.Test.ClassCount}");
        }
    }

    /// <summary>Parses a comma-separated list of positive integers given to <paramref name="flag"/>.</summary>
    public static int[] ParsePositiveInts(string text, string flag, string example)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new UsageException($"{flag}: '{text}' lists no numbers (expected e.g. {example})");
        }
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
            {
                throw new UsageException($"{flag}: '{parts[i]}' is not a positive integer (expected e.g. {example})");
            }
        }
        return values;
    }
}

/// <summary>A flag or argument is wrong; the message names it.</summary>
internal sealed class UsageException(string message) : Exception(message);
