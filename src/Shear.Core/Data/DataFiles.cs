using System.IO.Compression;

namespace Shear.Data;

/// <summary>File helpers shared by the readers: gzip detection by content, and errors that name the file.</summary>
internal static class DataFiles
{
    /// <summary>The whole file, gunzipped when it starts with the gzip magic (whatever its extension).</summary>
    public static byte[] ReadMaybeGzip(string path)
    {
        byte[] raw = ReadAll(path);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b)
        {
            return raw;
        }
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"corrupt gzip stream ({e.Message})", e);
        }
        catch (EndOfStreamException e)
        {
            throw new DataFormatException(path, "truncated gzip stream", e);
        }
    }

    /// <summary>The whole file; a missing file is a <see cref="FileNotFoundException"/> naming it.</summary>
    public static byte[] ReadAll(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>The first of <paramref name="names"/> (each tried as is and with <c>.gz</c>) that exists in
    /// <paramref name="folder"/>, or null.</summary>
    public static string? FindVariant(string folder, params string[] names)
    {
        foreach (string name in names)
        {
            foreach (string candidate in new[] { name, name + ".gz" })
            {
                string path = Path.Combine(folder, candidate);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }
        return null;
    }

    /// <summary>Non-empty, trimmed lines of a text file (class-name lists).</summary>
    public static string[] ReadNames(string path) =>
        [.. File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0)];

    /// <summary>Class names "0", "1", … up to the largest label in <paramref name="train"/> and <paramref name="test"/>,
    /// for formats that carry no names.</summary>
    public static string[] NumberedClasses(long[] train, long[] test)
    {
        long max = Math.Max(train.DefaultIfEmpty().Max(), test.DefaultIfEmpty().Max());
        return [.. Enumerable.Range(0, (int)max + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>Checks every label lies in <c>[0, classes)</c>.</summary>
    public static void CheckLabels(string path, ReadOnlySpan<long> labels, int classes)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes)
            {
                throw new DataFormatException(path, $"label {labels[i]} at index {i} is outside [0, {classes})");
            }
        }
    }
}
