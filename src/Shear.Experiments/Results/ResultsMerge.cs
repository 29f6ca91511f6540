using Shear.Experiments.Runs;

namespace Shear.Experiments.Results;

/// <summary>What a merge did.</summary>
/// <param name="Copied">Run folders copied, relative to the destination.</param>
/// <param name="Skipped">Run folders already present with identical content, relative to the destination.</param>
/// <param name="Index">The refreshed index of the destination.</param>
public sealed record MergeOutcome(IReadOnlyList<string> Copied, IReadOnlyList<string> Skipped, ResultsIndex Index);

/// <summary>Unites results folders (e.g. the shards of a sweep run on several machines) into one.</summary>
public static class ResultsMerge
{
    /// <summary>
    /// Copies every run folder (the folder holding a <c>result.json</c>, with its sub-folders) of
    /// <paramref name="sources"/> into <paramref name="destination"/> at the same path relative to its source, then
    /// refreshes the destination's index. A run already there (from the destination or an earlier source) with
    /// identical files is skipped; one with different files is an error, raised before anything is copied.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">A source does not exist; the message names it.</exception>
    /// <exception cref="ArgumentException">The destination lies inside a source.</exception>
    /// <exception cref="InvalidOperationException">One run path holds different content in two places; the
    /// message names both folders.</exception>
    public static MergeOutcome Merge(IReadOnlyList<string> sources, string destination)
    {
        string target = Path.GetFullPath(destination);
        var plan = Plan(sources, target);
        Directory.CreateDirectory(target);
        foreach (var (relative, folder) in plan.Copies)
        {
            CopyRun(folder, Path.Combine(target, relative));
        }
        return new MergeOutcome([.. plan.Copies.Keys], plan.Skipped, ResultsIndex.Refresh(target));
    }

    private static (SortedDictionary<string, string> Copies, List<string> Skipped) Plan(IReadOnlyList<string> sources, string target)
    {
        var copies = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var skipped = new List<string>();
        foreach (string source in sources)
        {
            string root = Path.GetFullPath(source);
            if (IsInside(target, root))
            {
                throw new ArgumentException($"--out {target} lies inside the source {source}");
            }
            foreach (var run in ResultFiles.Scan(root))
            {
                string relative = Path.GetRelativePath(root, run.Path);
                string present = copies.TryGetValue(relative, out string? earlier) ? earlier : Path.Combine(target, relative);
                if (earlier is null && !File.Exists(Path.Combine(present, TrainingRun.ResultFile)))
                {
                    copies[relative] = run.Path;
                }
                else if (SameFiles(run.Path, present))
                {
                    skipped.Add(relative);
                }
                else
                {
                    throw new InvalidOperationException($"run {relative} differs between {present} and {run.Path}; "
                        + "remove or rename one of them and merge again");
                }
            }
        }
        return (copies, skipped);
    }

    private static bool IsInside(string path, string folder)
    {
        string relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    /// <summary>Copies a run's files, <c>result.json</c> last: a merge killed midway leaves a folder without a
    /// result (not a run, so the next merge copies it again) rather than a run with missing files.</summary>
    private static void CopyRun(string from, string to)
    {
        var files = Files(from).OrderBy(f => f == TrainingRun.ResultFile).ThenBy(f => f, StringComparer.Ordinal);
        foreach (string file in files)
        {
            string destination = Path.Combine(to, file);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(Path.Combine(from, file), destination, overwrite: true);
        }
    }

    private static bool SameFiles(string a, string b)
    {
        var left = Files(a).Order(StringComparer.Ordinal).ToList();
        var right = Files(b).Order(StringComparer.Ordinal).ToList();
        return left.SequenceEqual(right, StringComparer.Ordinal) && left.All(f => SameBytes(Path.Combine(a, f), Path.Combine(b, f)));
    }

    private static bool SameBytes(string a, string b)
    {
        if (new FileInfo(a).Length != new FileInfo(b).Length)
        {
            return false;
        }
        using var left = File.OpenRead(a);
        using var right = File.OpenRead(b);
        var x = new byte[1 << 16];
        var y = new byte[1 << 16];
        int read;
        while ((read = left.ReadAtLeast(x, x.Length, throwOnEndOfStream: false)) > 0)
        {
            right.ReadExactly(y, 0, read);
            if (!x.AsSpan(0, read).SequenceEqual(y.AsSpan(0, read)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A run folder's files relative to it, without the index a results folder keeps at its root (a run
    /// folder can be a results folder of its own).</summary>
    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f))
            .Where(f => !f.StartsWith(ResultsIndex.FileName, StringComparison.Ordinal));
}
