using System.Buffers.Binary;
using System.Text;

namespace Shear.Runtime;

/// <summary>
/// A read-only view of the parts of a 64-bit little-endian ELF shared object that symbol versioning needs:
/// the dynamic symbol table, its string table and the GNU version sections.
/// </summary>
/// <remarks>
/// Layouts follow the System V gABI and the LSB "Symbol Versioning" chapter. Only ELFCLASS64 / ELFDATA2LSB is
/// supported, which covers every platform libtorch ships for on Linux (x86_64 and aarch64).
/// </remarks>
internal sealed class ElfFile
{
    private const uint SectionTypeRelocationsWithAddends = 4;
    private const uint SectionTypeDynamicSymbols = 11;
    private const uint SectionTypeVersionDefinitions = 0x6ffffffd;
    private const uint SectionTypeVersionNeeds = 0x6ffffffe;
    private const uint SectionTypeVersionSymbols = 0x6fffffff;

    private readonly byte[] _bytes;
    private readonly Dictionary<uint, Section> _sectionsByType = [];
    private readonly Section[] _sections;

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, long EntrySize);

    private ElfFile(byte[] bytes, string path)
    {
        _bytes = bytes;
        Path = path;
        _sections = ReadSectionHeaders();
        foreach (var section in _sections)
        {
            _sectionsByType.TryAdd(section.Type, section);
        }
    }

    /// <summary>The file this view was read from (for error messages).</summary>
    public string Path { get; }

    /// <summary>The raw bytes of the file. Callers that patch must copy them first.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Reads and validates an ELF file.</summary>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF object.</exception>
    public static ElfFile Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses ELF bytes already in memory; <paramref name="path"/> only names them in errors.</summary>
    public static ElfFile Parse(byte[] bytes, string path)
    {
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
        {
            throw new InvalidDataException($"{path}: not an ELF file (bad magic number).");
        }
        if (bytes[4] != 2 || bytes[5] != 1)
        {
            throw new InvalidDataException($"{path}: only 64-bit little-endian ELF is supported.");
        }
        return new ElfFile(bytes, path);
    }

    /// <summary>Every version a dependency must provide (the .gnu.version_r section), in file order.</summary>
    public IReadOnlyList<VersionNeed> VersionNeeds()
    {
        var result = new List<VersionNeed>();
        if (!_sectionsByType.TryGetValue(SectionTypeVersionNeeds, out var section))
        {
            return result;
        }
        var strings = _sections[section.Link];
        long entry = section.Offset;
        while (true)
        {
            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            ushort count = U16(entry + 2);
            string file = CString(strings, U32(entry + 4));
            long aux = entry + U32(entry + 8);
            for (int i = 0; i < count; i++)
            {
                // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                result.Add(new VersionNeed(file, CString(strings, U32(aux + 8)), U16(aux + 4), U16(aux + 6), aux + 4));
                aux += U32(aux + 12);
            }
            uint next = U32(entry + 12);
            if (next == 0)
            {
                return result;
            }
            entry += next;
        }
    }

    /// <summary>Every version name this object defines (the .gnu.version_d section).</summary>
    public IReadOnlySet<string> VersionDefinitions()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (!_sectionsByType.TryGetValue(SectionTypeVersionDefinitions, out var section))
        {
            return result;
        }
        var strings = _sections[section.Link];
        long entry = section.Offset;
        while (true)
        {
            // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32.
            long aux = entry + U32(entry + 12);
            result.Add(CString(strings, U32(aux))); // Elf64_Verdaux: vda_name u32, vda_next u32.
            uint next = U32(entry + 16);
            if (next == 0)
            {
                return result;
            }
            entry += next;
        }
    }

    /// <summary>The undefined dynamic symbols bound to the version index <paramref name="versionIndex"/>.</summary>
    public IReadOnlyList<DynamicSymbol> UndefinedSymbolsWithVersion(ushort versionIndex)
    {
        var result = new List<DynamicSymbol>();
        if (!_sectionsByType.TryGetValue(SectionTypeDynamicSymbols, out var symbols)
            || !_sectionsByType.TryGetValue(SectionTypeVersionSymbols, out var versions))
        {
            return result;
        }
        var strings = _sections[symbols.Link];
        long count = symbols.Size / symbols.EntrySize;
        for (long i = 0; i < count; i++)
        {
            // Elf64_Sym: st_name u32 at 0, st_shndx u16 at 6 (0 = undefined). The hidden bit (0x8000) of a
            // .gnu.version entry does not change which version the symbol is bound to.
            long symbol = symbols.Offset + (i * symbols.EntrySize);
            bool undefined = U16(symbol + 6) == 0;
            if (undefined && (U16(versions.Offset + (2 * i)) & 0x7fff) == versionIndex)
            {
                result.Add(new DynamicSymbol((uint)i, CString(strings, U32(symbol))));
            }
        }
        return result;
    }

    /// <summary>Indices into the dynamic symbol table of every symbol some dynamic relocation refers to.</summary>
    public IReadOnlySet<uint> RelocatedSymbolIndices()
    {
        var result = new HashSet<uint>();
        foreach (var section in _sections.Where(s => s.Type == SectionTypeRelocationsWithAddends && s.EntrySize > 0))
        {
            // Only relocation tables that resolve against the dynamic symbol table matter to the loader.
            if (_sections[section.Link].Type != SectionTypeDynamicSymbols)
            {
                continue;
            }
            for (long at = section.Offset; at < section.Offset + section.Size; at += section.EntrySize)
            {
                // Elf64_Rela: r_offset u64, r_info u64 (symbol index in the high 32 bits), r_addend i64.
                result.Add((uint)(U64(at + 8) >> 32));
            }
        }
        return result;
    }

    private Section[] ReadSectionHeaders()
    {
        // Elf64_Ehdr: e_shoff at 0x28, e_shentsize at 0x3a, e_shnum at 0x3c.
        long offset = (long)U64(0x28);
        ushort entrySize = U16(0x3a);
        ushort count = U16(0x3c);
        if (offset <= 0 || offset + ((long)entrySize * count) > _bytes.Length)
        {
            throw new InvalidDataException($"{Path}: section header table lies outside the file (truncated?).");
        }
        var sections = new Section[count];
        for (int i = 0; i < count; i++)
        {
            // Elf64_Shdr: sh_type at 4, sh_offset at 24, sh_size at 32, sh_link at 40, sh_entsize at 56.
            long h = offset + ((long)i * entrySize);
            sections[i] = new Section(U32(h + 4), (long)U64(h + 24), (long)U64(h + 32), U32(h + 40), (long)U64(h + 56));
        }
        return sections;
    }

    private string CString(Section strings, uint index)
    {
        int start = checked((int)(strings.Offset + index));
        int end = Array.IndexOf(_bytes, (byte)0, start);
        return Encoding.ASCII.GetString(_bytes, start, end - start);
    }

    private ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(checked((int)at), 2));

    private uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(checked((int)at), 4));

    private ulong U64(long at) => BinaryPrimitives.ReadUInt64LittleEndian(_bytes.AsSpan(checked((int)at), 8));
}

/// <summary>One auxiliary entry of .gnu.version_r: "<paramref name="File"/> must define <paramref name="Version"/>".</summary>
/// <param name="File">The needed library's SONAME, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">vna_flags; bit 0x2 (VER_FLG_WEAK) makes a missing version non-fatal.</param>
/// <param name="Index">vna_other: the index that .gnu.version uses for symbols bound to this version.</param>
/// <param name="FlagsOffset">Byte offset of vna_flags in the file, for patching.</param>
internal readonly record struct VersionNeed(string File, string Version, ushort Flags, ushort Index, long FlagsOffset)
{
    /// <summary>VER_FLG_WEAK from the LSB symbol versioning specification.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>Whether the loader tolerates the version being absent.</summary>
    public bool IsWeak => (Flags & WeakFlag) != 0;
}

/// <summary>An entry of the dynamic symbol table.</summary>
/// <param name="Index">Its index in .dynsym, as relocations refer to it.</param>
/// <param name="Name">Its (mangled) name.</param>
internal readonly record struct DynamicSymbol(uint Index, string Name);
