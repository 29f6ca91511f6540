using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Shear.Data;

/// <summary>
/// One NumPy <c>.npy</c> array: magic <c>\x93NUMPY</c>, version, a little-endian header length (2 bytes in
/// version 1, 4 in versions 2 and 3), an ASCII dict with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, then
/// the raw values. Only the element types image sets use are read.
/// </summary>
internal sealed partial record NpyArray(string Name, string DType, long[] Shape, byte[] Data)
{
    private static readonly byte[] _magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Number of values.</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Parses <paramref name="bytes"/>; <paramref name="where"/> names the file and entry in errors.</summary>
    public static NpyArray Parse(string where, string name, byte[] bytes)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(_magic))
        {
            throw new DataFormatException(where, $"'{name}' is not a .npy array (wrong magic)");
        }
        int major = bytes[6];
        int lengthSize = major == 1 ? 2 : 4;
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int dataStart = 8 + lengthSize + headerLength;
        if (major is < 1 or > 3 || dataStart > bytes.Length)
        {
            throw new DataFormatException(where, $"'{name}': unsupported .npy version {major} or truncated header");
        }
        string header = Encoding.Latin1.GetString(bytes, 8 + lengthSize, headerLength);
        var descr = DescrPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !shape.Success)
        {
            throw new DataFormatException(where, $"'{name}': cannot read descr and shape from the header {header.Trim()}");
        }
        if (FortranPattern().IsMatch(header))
        {
            throw new DataFormatException(where, $"'{name}': Fortran-ordered arrays are not supported (save with np.ascontiguousarray)");
        }
        long[] dims = [.. shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.Parse(d, CultureInfo.InvariantCulture))];
        var array = new NpyArray(name, descr.Groups[1].Value, dims, bytes[dataStart..]);
        long expected = array.Count * array.ElementSize(where);
        if (array.Data.Length != expected)
        {
            throw new DataFormatException(where,
                $"'{name}': shape ({string.Join(", ", dims)}) of {array.DType} needs {expected} bytes, found {array.Data.Length} (truncated?)");
        }
        return array;
    }

    /// <summary>Bytes per element for the supported types.</summary>
    public int ElementSize(string where) => DType switch
    {
        "|u1" or "<u1" or "|b1" => 1,
        "<i4" or "<f4" => 4,
        "<f8" => 8,
        "<i8" => 8,
        _ => throw new DataFormatException(where, $"'{Name}': unsupported dtype {DType} (supported: uint8, int32, int64, float32, float64)"),
    };

    /// <summary>The values as integers (labels).</summary>
    public long[] AsInt64(string where) => DType switch
    {
        "|u1" or "<u1" => [.. Data.Select(b => (long)b)],
        "<i4" => [.. Enumerable.Range(0, (int)Count).Select(i => (long)BinaryPrimitives.ReadInt32LittleEndian(Data.AsSpan(4 * i)))],
        "<i8" => [.. Enumerable.Range(0, (int)Count).Select(i => BinaryPrimitives.ReadInt64LittleEndian(Data.AsSpan(8 * i)))],
        _ => throw new DataFormatException(where, $"'{Name}': labels must be integers, found {DType}"),
    };

    /// <summary>The values as pixel bytes: uint8 as is; float32 in [0, 1] scaled by 255, in [0, 255] rounded.</summary>
    public byte[] AsPixels(string where)
    {
        if (DType is "|u1" or "<u1")
        {
            return Data;
        }
        if (DType != "<f4")
        {
            throw new DataFormatException(where, $"'{Name}': images must be uint8 or float32, found {DType}");
        }
        var values = new float[Count];
        Buffer.BlockCopy(Data, 0, values, 0, Data.Length);
        float min = values.Min(), max = values.Max();
        if (min < 0 || max > 255 || float.IsNaN(min) || float.IsNaN(max))
        {
            throw new DataFormatException(where, $"'{Name}': float32 pixels must lie in [0, 1] or [0, 255], found [{min}, {max}]");
        }
        float scale = max <= 1f ? 255f : 1f;
        return [.. values.Select(v => (byte)Math.Round(v * scale))];
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();
}
