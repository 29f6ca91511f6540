using static TorchSharp.torch;

namespace Shear.Export.Safetensors;

/// <summary>The element types of the safetensors format that Shear reads and writes, with their byte sizes and
/// libtorch types. F16 and BF16 are read (widened to F32) but never written.</summary>
internal static class SafetensorsDType
{
    private static readonly Dictionary<string, (int Size, ScalarType Type)> _known = new(StringComparer.Ordinal)
    {
        ["F64"] = (8, ScalarType.Float64), ["F32"] = (4, ScalarType.Float32), ["F16"] = (2, ScalarType.Float32),
        ["BF16"] = (2, ScalarType.Float32), ["I64"] = (8, ScalarType.Int64), ["I32"] = (4, ScalarType.Int32),
        ["I16"] = (2, ScalarType.Int16), ["I8"] = (1, ScalarType.Int8), ["U8"] = (1, ScalarType.Byte), ["BOOL"] = (1, ScalarType.Bool),
    };

    /// <summary>Every dtype name read.</summary>
    public static IEnumerable<string> Names => _known.Keys;

    /// <summary>Bytes per element of <paramref name="name"/>, or null when it is not a known dtype.</summary>
    public static int? SizeOf(string name) => _known.TryGetValue(name, out var known) ? known.Size : null;

    /// <summary>The name written for a tensor of <paramref name="type"/>.</summary>
    /// <exception cref="ArgumentException">A type safetensors files from Shear do not hold.</exception>
    public static string NameOf(ScalarType type) => type switch
    {
        ScalarType.Float64 => "F64", ScalarType.Float32 => "F32", ScalarType.Int64 => "I64", ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16", ScalarType.Int8 => "I8", ScalarType.Byte => "U8", ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"safetensors: cannot write a {type} tensor", nameof(type)),
    };

    /// <summary>A CPU tensor of <paramref name="shape"/> from little-endian <paramref name="bytes"/> of
    /// <paramref name="name"/>. The caller owns it.</summary>
    public static Tensor Decode(string name, ReadOnlySpan<byte> bytes, long[] shape)
    {
        using var scope = NewDisposeScope();
        Tensor flat = name switch
        {
            "F64" => tensor(Cast<double>(bytes)), "F32" => tensor(Cast<float>(bytes)),
            "F16" => tensor(Cast<Half>(bytes).Select(h => (float)h).ToArray()),
            "BF16" => tensor(Cast<ushort>(bytes).Select(b => BitConverter.Int32BitsToSingle(b << 16)).ToArray()),
            "I64" => tensor(Cast<long>(bytes)), "I32" => tensor(Cast<int>(bytes)), "I16" => tensor(Cast<short>(bytes)),
            "I8" => tensor(Cast<sbyte>(bytes)), "U8" => tensor(bytes.ToArray()),
            "BOOL" => tensor(bytes.ToArray().Select(b => b != 0).ToArray()),
            _ => throw new ArgumentException($"unknown dtype '{name}'", nameof(name)),
        };
        return flat.reshape(shape).MoveToOuterDisposeScope();
    }

    /// <summary>The little-endian bytes of <paramref name="value"/> (any device, any layout).</summary>
    public static byte[] Encode(Tensor value)
    {
        using var cpu = value.detach().cpu().contiguous();
        return cpu.dtype switch
        {
            ScalarType.Float64 => Bytes(cpu.data<double>().ToArray()), ScalarType.Float32 => Bytes(cpu.data<float>().ToArray()),
            ScalarType.Int64 => Bytes(cpu.data<long>().ToArray()), ScalarType.Int32 => Bytes(cpu.data<int>().ToArray()),
            ScalarType.Int16 => Bytes(cpu.data<short>().ToArray()), ScalarType.Int8 => Bytes(cpu.data<sbyte>().ToArray()),
            ScalarType.Byte => cpu.data<byte>().ToArray(), ScalarType.Bool => [.. cpu.data<bool>().ToArray().Select(b => (byte)(b ? 1 : 0))],
            _ => throw new ArgumentException($"safetensors: cannot write a {cpu.dtype} tensor", nameof(value)),
        };
    }

    // safetensors is little-endian; so are the platforms libtorch-cpu ships for, which this checks once.
    private static T[] Cast<T>(ReadOnlySpan<byte> bytes) where T : struct =>
        BitConverter.IsLittleEndian ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes).ToArray()
        : throw new PlatformNotSupportedException("safetensors needs a little-endian machine");

    private static byte[] Bytes<T>(T[] values) where T : struct =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
