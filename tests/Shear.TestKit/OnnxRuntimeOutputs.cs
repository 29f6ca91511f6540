using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Shear.TestKit;

/// <summary>What ONNX Runtime computes for an exported model: the tests' independent check of Shear's ONNX files.</summary>
public static class OnnxRuntimeOutputs
{
    /// <summary>The single output of the model at <paramref name="path"/> for <paramref name="input"/> (float32, fed
    /// to the graph input <paramref name="inputName"/>), as a tensor shaped like <paramref name="like"/>.</summary>
    public static Tensor Run(string path, Tensor input, Tensor like, string inputName = "input")
    {
        using var session = new InferenceSession(path);
        using var contiguous = input.to(float32).contiguous();
        var data = new DenseTensor<float>(contiguous.data<float>().ToArray(), [.. input.shape.Select(d => (int)d)]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, data)]);
        return tensor(results.Single().AsEnumerable<float>().ToArray()).reshape(like.shape);
    }
}
