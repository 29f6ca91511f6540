namespace Shear.Runtime;

/// <summary>
/// Decides whether a shared object can be made loadable against an older library by marking the missing
/// version requirements weak, and produces the patched bytes.
/// </summary>
/// <remarks>
/// glibc refuses to load an object that needs a version its dependency does not define, unless the
/// requirement carries VER_FLG_WEAK. Weakening is only safe when nothing is ever bound to that version: every
/// symbol versioned with it is undefined and no dynamic relocation refers to it (TorchSharp 0.107's glue needs
/// GLIBCXX_3.4.32 only for GCC 13's <c>_ZSt21ios_base_library_initv</c>, which it never calls).
/// </remarks>
internal static class VersionWeakening
{
    /// <summary>The requirements of <paramref name="target"/> on <paramref name="dependencySoname"/> that
    /// <paramref name="dependency"/> does not define and that are not already weak.</summary>
    public static IReadOnlyList<VersionNeed> MissingVersions(ElfFile target, string dependencySoname, ElfFile dependency)
    {
        var defined = dependency.VersionDefinitions();
        return target.VersionNeeds()
            .Where(n => n.File == dependencySoname && !n.IsWeak && !defined.Contains(n.Version))
            .ToList();
    }

    /// <summary>Symbols that would really be bound to one of <paramref name="missing"/>: any one of them makes
    /// weakening unsafe.</summary>
    public static IReadOnlyList<string> BlockingSymbols(ElfFile target, IEnumerable<VersionNeed> missing)
    {
        var relocated = target.RelocatedSymbolIndices();
        return missing
            .SelectMany(n => target.UndefinedSymbolsWithVersion(n.Index))
            .Where(s => relocated.Contains(s.Index))
            .Select(s => s.Name)
            .ToList();
    }

    /// <summary>A copy of the target's bytes with VER_FLG_WEAK set on each of <paramref name="missing"/>; two
    /// bytes change per entry and nothing else.</summary>
    public static byte[] Weaken(ElfFile target, IEnumerable<VersionNeed> missing)
    {
        byte[] patched = target.Bytes.ToArray();
        foreach (var need in missing)
        {
            ushort flags = (ushort)(need.Flags | VersionNeed.WeakFlag);
            patched[need.FlagsOffset] = (byte)(flags & 0xff);
            patched[need.FlagsOffset + 1] = (byte)(flags >> 8);
        }
        return patched;
    }
}
