using System.Buffers.Binary;
using System.Text;
using Shear.Data;
using Shear.TestKit;
using Xunit;
using static TorchSharp.torch;

namespace Shear.Export.Safetensors;

/// <summary>The safetensors layout against the specification, round trips of every written dtype, and a clear error
/// naming the file and tensor for each way a file can be malformed.</summary>
public class SafetensorsFileTests
{
    [Fact]
    public void Read_HandMadeFileFollowingTheSpecification_GivesItsTensorsAndMetadata()
    {
        using var dir = new TempDirectory();
        string path = dir.File("spec.safetensors");
        File.WriteAllBytes(path, Build("""{"__metadata__":{"format":"pt"},"b":{"dtype":"I64","shape":[],"data_offsets":[8,16]},"a":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]}}""",
            [.. BitConverter.GetBytes(1.5f), .. BitConverter.GetBytes(-2f), .. BitConverter.GetBytes(7L)]));

        using var file = SafetensorsFile.Read(path);

        Assert.Equal(["a", "b"], file.Tensors.Select(t => t.Key));
        Assert.Equal(new long[] { 2, 1 }, file.Tensors[0].Value.shape);
        Assert.Equal([1.5f, -2f], file.Tensors[0].Value.data<float>().ToArray());
        Assert.Equal(7L, file.Tensors[1].Value.item<long>());
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void Write_ThenRead_RoundTripsEveryDtypeWithAnAlignedHeader()
    {
        using var dir = new TempDirectory();
        string path = dir.File("all.safetensors");
        var tensors = new[]
        {
            KeyValuePair.Create("f32", randn(3, 4)), KeyValuePair.Create("f64", randn(5, dtype: ScalarType.Float64)),
            KeyValuePair.Create("i64", tensor(new long[] { -3, 0, long.MaxValue })), KeyValuePair.Create("i32", tensor(new[] { 1, -1 })),
            KeyValuePair.Create("u8", tensor(new byte[] { 0, 255 })), KeyValuePair.Create("mask", tensor(new[] { true, false, true })),
            KeyValuePair.Create("scalar", tensor(4L)),
        };

        SafetensorsFile.Write(path, tensors, new Dictionary<string, string> { ["model"] = "mlp" });
        using var file = SafetensorsFile.Read(path);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes) % 8);
        Assert.Equal(tensors.Select(t => t.Key), file.Tensors.Select(t => t.Key));
        foreach (var ((name, expected), (_, actual)) in tensors.Zip(file.Tensors))
        {
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(expected.eq(actual).all().item<bool>(), name);
        }
        Assert.Equal("mlp", file.Metadata["model"]);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Read_HalfPrecisionTensors_AreWidenedToFloat32()
    {
        using var dir = new TempDirectory();
        string path = dir.File("half.safetensors");
        byte[] half = [.. BitConverter.GetBytes((Half)0.5f), .. BitConverter.GetBytes((Half)(-3f))];
        byte[] bf16 = [0x80, 0x3F]; // 1.0 in bfloat16: the upper half of 0x3F800000
        File.WriteAllBytes(path, Build("""{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]}}""", [.. half, .. bf16]));

        using var file = SafetensorsFile.Read(path);

        Assert.Equal([0.5f, -3f], file.Tensors[0].Value.data<float>().ToArray());
        Assert.Equal([1f], file.Tensors[1].Value.data<float>().ToArray());
    }

    public static TheoryData<string, string, byte[], string> Malformed() => new()
    {
        { "short", "", [], "too short for the 8-byte header length" },
        { "header-length", "{}", [1, 2], "header length" },
        { "json", "{not json", [], "the header is not valid JSON" },
        { "dtype", """{"w":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}""", [0], "tensor 'w': unknown dtype 'Q4'" },
        { "offsets", """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", [0, 0, 0, 0], "tensor 'w': data_offsets [0, 8] out of range (the data holds 4 bytes)" },
        { "size", """{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", new byte[8], "tensor 'w': shape [3] of F32 needs 12 bytes, data_offsets span 8" },
        { "shape", """{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", new byte[4], "tensor 'w': shape must be a list of non-negative integers" },
        { "overlap", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8], "tensors 'a' and 'b' overlap" },
        { "metadata", """{"__metadata__":{"n":1}}""", [], "__metadata__.n: values must be strings" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_MalformedFile_ThrowsNamingTheFileAndTheProblem(string name, string header, byte[] data, string problem)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name + ".safetensors");
        byte[] bytes = name switch
        {
            "short" => [1, 2, 3],
            "header-length" => [.. BitConverter.GetBytes(1000UL), .. Encoding.UTF8.GetBytes(header), .. data],
            _ => Build(header, data),
        };
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<DataFormatException>(() => SafetensorsFile.Read(path));

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A file by the specification: 8-byte header length, header, data.</summary>
    private static byte[] Build(string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. data];
    }
}
