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

    /// <summary>Checks that a split can train a classifier: at least one training image, and every class with a
    /// training example (so no test label is one training never shows: labels are checked to lie below the class
    /// count). A numbered class without examples is almost always a label file that does not count from 0 (labels
    /// 1-10, or all 200); the errors name the file.</summary>
    public static void CheckCoverage(string trainLabels, ReadOnlySpan<long> train, IReadOnlyList<string> classes)
    {
        if (train.Length == 0)
        {
            throw new DataFormatException(trainLabels, "holds no training examples; training needs at least one");
        }
        var seen = new bool[classes.Count];
        foreach (long label in train)
        {
            seen[label] = true;
        }
        int[] missing = [.. Enumerable.Range(0, classes.Count).Where(c => !seen[c])];
        if (missing.Length > 0)
        {
            string which = missing.Length <= 5 ? string.Join(", ", missing.Select(c => $"{c} ({classes[c]})")) : $"{missing.Length} of {classes.Count}, the first {missing[0]} ({classes[missing[0]]})";
            throw new DataFormatException(trainLabels, $"classes {which} have no training example; number the labels from 0 without gaps (or list the classes in classes.txt)");
        }
    }
}
