using System.Text;
using System.Text.Json;
using Shear.IO;
using static TorchSharp.torch;

namespace Shear.Training;

/// <summary>Where a run stands, stored with the weights so that <c>--resume</c> continues exactly.</summary>
/// <param name="CompletedEpochs">Epochs finished; training resumes at this 0-based epoch.</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="Fingerprint">Hash of the recipe and model; resuming under another recipe is refused.</param>
/// <param name="History">Every finished epoch's record.</param>
public sealed record TrainingState(int CompletedEpochs, long Steps, string Fingerprint, IReadOnlyList<EpochRecord> History);

/// <summary>
/// Saves and loads a training checkpoint: state, model weights and buffers, and optimizer state (momentum
/// buffers, Adam moments) in one file, written atomically. Random streams need no saved state: they are
/// derived from the seed and the epoch (<see cref="Runtime.RandomSource"/>).
/// </summary>
public static class Checkpoint
{
    private const string Magic = "SHEAR-CHECKPOINT";
    private const int Version = 1;

    /// <summary>Writes <paramref name="state"/>, the model and the optimizer to <paramref name="path"/>.</summary>
    public static void Save(string path, TrainingState state, nn.Module model, optim.Optimizer optimizer)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(JsonSerializer.Serialize(state, MetricsJson.Options));
            model.save(writer);
            ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
        });
    }

    /// <summary>Reads a checkpoint into <paramref name="model"/> and <paramref name="optimizer"/>.</summary>
    /// <exception cref="InvalidDataException">Not a Shear checkpoint, or another version; the message names the file.</exception>
    public static TrainingState Load(string path, nn.Module model, optim.Optimizer optimizer)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (reader.ReadString() != Magic || reader.ReadInt32() is var version && version != Version)
        {
            throw new InvalidDataException($"{path}: not a Shear checkpoint of version {Version}.");
        }
        var state = JsonSerializer.Deserialize<TrainingState>(reader.ReadString(), MetricsJson.Options)
            ?? throw new InvalidDataException($"{path}: empty training state.");
        model.load(reader);
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
        return state;
    }
}
