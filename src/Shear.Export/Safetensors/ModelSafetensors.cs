using Shear.Data;
using Shear.Graphs;
using static TorchSharp.torch;

namespace Shear.Export.Safetensors;

/// <summary>A model's weights as safetensors under PyTorch's state-dict names (the zoo builds modules with
/// PyTorch's names, checked by the zoo peer fixture), so <c>safetensors.torch.load_file</c> feeds
/// <c>load_state_dict</c> directly.</summary>
public static class ModelSafetensors
{
    /// <summary>Writes every parameter and buffer of <paramref name="model"/> to <paramref name="path"/>.</summary>
    public static void Save(GraphModule model, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafetensorsFile.Write(path, model.state_dict(), metadata);

    /// <summary>Copies the tensors of <paramref name="path"/> into <paramref name="model"/>: every state-dict entry
    /// must be there with its shape; floating types are converted to the model's.</summary>
    /// <exception cref="DataFormatException">A tensor is missing, extra or of the wrong shape; the message names it.</exception>
    public static void Load(GraphModule model, string path)
    {
        using var file = SafetensorsFile.Read(path);
        Load(model, file, path);
    }

    /// <summary>As <see cref="Load(GraphModule, string)"/>, from a file already read (<paramref name="path"/> names it
    /// in errors).</summary>
    public static void Load(GraphModule model, SafetensorsFile file, string path)
    {
        var stored = file.Tensors.ToDictionary(t => t.Key, t => t.Value);
        var expected = model.state_dict();
        var missing = expected.Keys.Where(k => !stored.ContainsKey(k)).ToList();
        var extra = stored.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            throw new DataFormatException(path, string.Join("; ", new[]
            {
                missing.Count > 0 ? $"tensors the model needs are missing: {string.Join(", ", missing)}" : null,
                extra.Count > 0 ? $"tensors the model does not have: {string.Join(", ", extra)}" : null,
            }.OfType<string>()));
        }
        using var noGrad = no_grad();
        foreach (var (name, target) in expected)
        {
            var source = stored[name];
            if (!source.shape.SequenceEqual(target.shape))
            {
                throw new DataFormatException(path, $"tensor '{name}': shape [{string.Join(", ", source.shape)}] in the file, the model needs [{string.Join(", ", target.shape)}]");
            }
            target.copy_(source.to(target.dtype).to(target.device));
        }
    }
}
