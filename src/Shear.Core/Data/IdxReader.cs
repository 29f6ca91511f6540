using System.Buffers.Binary;

namespace Shear.Data;

/// <summary>
/// Reads IDX files (the MNIST format: Fashion-MNIST, KMNIST, EMNIST), gzip-compressed or raw.
/// </summary>
/// <remarks>
/// Layout (big-endian): two zero bytes, a type byte (0x08 = unsigned byte, the only type image sets use), the number
/// of dimensions, one int32 per dimension, then the values in row-major order.
/// </remarks>
public static class IdxReader
{
    private const byte UnsignedByte = 0x08;

    /// <summary>An IDX array: its dimensions and its bytes.</summary>
    /// <param name="Dimensions">Sizes, outermost first.</param>
    /// <param name="Values">Row-major values.</param>
    public sealed record IdxArray(int[] Dimensions, byte[] Values);

    /// <summary>Reads and validates one IDX file.</summary>
    /// <exception cref="DataFormatException">Wrong magic, unsupported type, truncated or over-long payload.</exception>
    public static IdxArray Read(string path)
    {
        byte[] bytes = DataFiles.ReadMaybeGzip(path);
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
        {
            string found = bytes.Length >= 4 ? $"0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8}" : $"{bytes.Length} bytes";
            throw new DataFormatException(path, $"not an IDX file: wrong magic number ({found}; expected 0x000008xx)");
        }
        if (bytes[2] != UnsignedByte)
        {
            throw new DataFormatException(path, $"unsupported IDX element type 0x{bytes[2]:X2} (only 0x08, unsigned byte, is supported)");
        }
        int rank = bytes[3];
        if (rank is < 1 or > 4)
        {
            throw new DataFormatException(path, $"unsupported IDX rank {rank} (expected 1 to 4 dimensions)");
        }
        int header = 4 + (4 * rank);
        if (bytes.Length < header)
        {
            throw new DataFormatException(path, $"truncated: the header needs {header} bytes, the file has {bytes.Length}");
        }
        var dimensions = new int[rank];
        long expected = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + (4 * d)));
            if (dimensions[d] < 0)
            {
                throw new DataFormatException(path, $"dimension {d} is negative ({dimensions[d]})");
            }
            expected *= dimensions[d];
        }
        long actual = bytes.Length - header;
        if (actual != expected)
        {
            string what = actual < expected ? "truncated" : "too long";
            throw new DataFormatException(path,
                $"{what}: dimensions [{string.Join(", ", dimensions)}] need {expected} data bytes, the file has {actual}");
        }
        return new IdxArray(dimensions, bytes[header..]);
    }
}
