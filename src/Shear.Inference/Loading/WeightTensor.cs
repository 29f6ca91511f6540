namespace Shear.Inference.Loading;

/// <summary>One named tensor of a weights file, as floats in row-major order.</summary>
/// <param name="Name">State-dict name, e.g. <c>layer1.0.conv1.weight</c>.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Values">Values, row-major (owned by this record).</param>
public sealed record WeightTensor(string Name, int[] Shape, float[] Values)
{
    /// <summary>The shape as text, for error messages: <c>[16, 3, 3, 3]</c>.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
