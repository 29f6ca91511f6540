using System.Runtime.InteropServices;
using TorchSharp;

namespace Shear.Runtime;

/// <summary>
/// Replaces libtorch's CPU allocator with one that keeps freed tensor buffers of 64 KiB and more for reuse by size,
/// in pages of their own, so that a training step's buffers stop fragmenting the C heap.
/// </summary>
/// <remarks>
/// <para>With glibc's heap (see <see cref="NativeHeapTuning"/>) ResNet-56 at batch 128 held 950 MiB of resident
/// memory for 511 MiB of live buffers: TorchSharp's small, long-lived native objects land between freed activations,
/// so the heap can neither give the holes back nor merge them. Here every large buffer is its own <c>mmap</c> region,
/// kept on a free list keyed by its page-rounded size; steady training reuses exactly the sizes it freed one step
/// earlier, so after the first step it neither maps, faults nor frees. On a miss (a new shape: the last short batch,
/// the evaluation batch) idle buffers are unmapped, least recently freed first, only while mapped memory would pass
/// <see cref="Headroom"/> times the largest live set seen, so a phase change swaps one set of buffers for the other
/// instead of keeping both.</para>
/// <para>libtorch offers no managed hook, so the allocator is a C++ object built in native memory: a vtable copied
/// from c10's <c>DefaultCPUAllocator</c> with <c>allocate</c>, <c>raw_deleter</c> and the destructors replaced by
/// managed entry points. The layout (slots, and <c>DataPtr</c> as data, deleter, context, device) is checked against
/// the loaded libc10 before use; on any mismatch the default allocator stays. It honours c10's zero- and junk-fill
/// flags, which the uninitialised-memory tests use. Linux only (where glibc fragments); off with
/// <c>SHEAR_CPU_ALLOCATOR=default</c>.</para>
/// </remarks>
public static unsafe class CachingCpuAllocator
{
    /// <summary>The environment variable that keeps libtorch's own allocator (<c>default</c>).</summary>
    public const string Variable = "SHEAR_CPU_ALLOCATOR";

    /// <summary>Buffers from this size up are cached; smaller ones go to the C heap as before.</summary>
    public const long MinimumCachedBytes = 64 << 10;

    /// <summary>Mapped memory allowed, as a multiple of the largest live set seen, before a miss unmaps idle
    /// buffers.</summary>
    public const int Headroom = 2;

    private const int Alignment = 64;
    private const long Page = 4096;

    // The vtable slots after the offset-to-top and typeinfo words (Itanium C++ ABI, libtorch 2.10's c10::Allocator).
    private const int SlotCompleteDestructor = 0, SlotDeletingDestructor = 1, SlotAllocate = 2,
        SlotIsSimpleDataPtr = 3, SlotRawDeleter = 4, SlotCopyData = 5, Slots = 6;

    private static readonly Lock _gate = new();
    private static readonly Dictionary<long, Stack<nint>> _idle = [];
    private static readonly LinkedList<(nint Pointer, long Bytes)> _idleOrder = new();
    private static readonly Dictionary<nint, long> _live = [];
    private static readonly Dictionary<nint, LinkedListNode<(nint, long)>> _idleNodes = [];
    private static long _idleBytes, _liveBytes, _peakLiveBytes, _mappedBytes, _peakMappedBytes, _hits, _misses;
    private static byte* _zeroFill, _junkFill;
    private static delegate* unmanaged<nint, nuint, int, int, int, nint, nint> _mmap;
    private static delegate* unmanaged<nint, nuint, int> _munmap;

    /// <summary>What <see cref="Apply"/> decided, for <c>shear doctor</c> and result files; null before it ran.</summary>
    public static string? Setting { get; private set; }

    /// <summary>Whether this allocator serves libtorch's CPU tensors in this process.</summary>
    public static bool Installed { get; private set; }

    /// <summary>Counters since installation, for tests and diagnostics.</summary>
    public static (long LiveBytes, long IdleBytes, long MappedBytes, long PeakMappedBytes, long Hits, long Misses) Counters
    {
        get
        {
            lock (_gate)
            {
                return (_liveBytes, _idleBytes, _mappedBytes, _peakMappedBytes, _hits, _misses);
            }
        }
    }

    /// <summary>Installs the allocator once per process, before the first tensor; later calls return the first
    /// decision.</summary>
    /// <returns>A one-line description of the allocator in force.</returns>
    public static string Apply()
    {
        if (Setting is not null)
        {
            return Setting;
        }
        Setting = Environment.GetEnvironmentVariable(Variable) == "default" ? $"libtorch's default ({Variable}=default)"
            : !OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64
                ? "libtorch's default (caching is for x64 Linux)"
            : TryInstall(out string? reason)
                ? $"caching: buffers from {MinimumCachedBytes >> 10} KiB reused by size, idle ones unmapped beyond {Headroom}x the largest live set ({Variable}=default turns it off)"
                : $"libtorch's default ({reason})";
        return Setting;
    }

    /// <summary>Unmaps every idle buffer (live ones are untouched).</summary>
    public static void ReleaseIdle()
    {
        lock (_gate)
        {
            EvictUntil(0);
        }
    }

    private static bool TryInstall(out string? reason)
    {
        reason = null;
        if (!NativeLibrary.TryLoad("c10", typeof(torch).Assembly, null, out var c10)
            || !NativeLibrary.TryGetExport(c10, "_ZN3c1015GetCPUAllocatorEv", out var getAllocator)
            || !NativeLibrary.TryGetExport(c10, "_ZN3c1015SetCPUAllocatorEPNS_9AllocatorEh", out var setAllocator)
            || !NativeLibrary.TryGetExport(c10, "_ZTVN3c1019DefaultCPUAllocatorE", out var defaultVtable)
            || !NativeLibrary.TryGetExport(c10, "_ZNK3c109Allocator18is_simple_data_ptrERKNS_7DataPtrE", out var isSimple)
            || !NativeLibrary.TryGetExport(c10, "FLAGS_caffe2_cpu_allocator_do_zero_fill", out var zeroFill)
            || !NativeLibrary.TryGetExport(c10, "FLAGS_caffe2_cpu_allocator_do_junk_fill", out var junkFill)
            || !(NativeLibrary.TryLoad("libc.so.6", out var libc) || NativeLibrary.TryLoad("libc.so", out libc))
            || !NativeLibrary.TryGetExport(libc, "mmap", out var mmap)
            || !NativeLibrary.TryGetExport(libc, "munmap", out var munmap))
        {
            reason = "libc10 or libc lacks a symbol the caching allocator needs";
            return false;
        }
        nint current = ((delegate* unmanaged<nint>)getAllocator)();
        nint* vtable = *(nint**)current;
        // The allocator in force must be c10's default one (vtable address point = symbol + 2 words), with
        // is_simple_data_ptr in the slot this class assumes.
        if ((nint)vtable != defaultVtable + 2 * sizeof(nint) || vtable[SlotIsSimpleDataPtr] != isSimple)
        {
            reason = "libtorch's CPU allocator is not the default one this build knows";
            return false;
        }
        if (!DataPtrLayoutMatches(current, vtable))
        {
            reason = "c10::DataPtr's layout differs from the one this build knows";
            return false;
        }
        _mmap = (delegate* unmanaged<nint, nuint, int, int, int, nint, nint>)mmap;
        _munmap = (delegate* unmanaged<nint, nuint, int>)munmap;
        _zeroFill = (byte*)zeroFill;
        _junkFill = (byte*)junkFill;

        // Offset-to-top and typeinfo come from the default allocator, so RTTI still works on the object.
        nint* table = (nint*)NativeMemory.AllocZeroed((nuint)((Slots + 2) * sizeof(nint)));
        table[0] = vtable[-2];
        table[1] = vtable[-1];
        nint* slots = table + 2;
        slots[SlotCompleteDestructor] = (nint)(delegate* unmanaged<nint, void>)&Destroy;
        slots[SlotDeletingDestructor] = (nint)(delegate* unmanaged<nint, void>)&Destroy;
        slots[SlotAllocate] = (nint)(delegate* unmanaged<DataPtr*, nint, nuint, DataPtr*>)&Allocate;
        slots[SlotIsSimpleDataPtr] = vtable[SlotIsSimpleDataPtr];
        slots[SlotRawDeleter] = (nint)(delegate* unmanaged<nint, nint>)&RawDeleter;
        slots[SlotCopyData] = vtable[SlotCopyData];
        nint* instance = (nint*)NativeMemory.AllocZeroed((nuint)sizeof(nint));
        *instance = (nint)slots;

        ((delegate* unmanaged<nint, byte, void>)setAllocator)((nint)instance, 0);
        Installed = ((delegate* unmanaged<nint>)getAllocator)() == (nint)instance;
        if (!Installed)
        {
            reason = "c10 kept an allocator of higher priority";
        }
        return Installed;
    }

    // Asks the default allocator for a small buffer and checks the fields this class writes: data and context equal,
    // a deleter, and a CPU device with index -1.
    private static bool DataPtrLayoutMatches(nint allocator, nint* vtable)
    {
        DataPtr probe;
        var allocate = (delegate* unmanaged<DataPtr*, nint, nuint, DataPtr*>)vtable[SlotAllocate];
        if (allocate(&probe, allocator, 256) != &probe)
        {
            return false;
        }
        bool matches = probe.Data != 0 && probe.Context == probe.Data && probe.Deleter != 0
            && probe.DeviceType == 0 && probe.DeviceIndex == -1;
        if (probe.Deleter != 0)
        {
            ((delegate* unmanaged<nint, void>)probe.Deleter)(probe.Context);
        }
        return matches;
    }

    [UnmanagedCallersOnly]
    private static void Destroy(nint self)
    {
        // The allocator lives for the whole process; c10 never destroys it.
    }

    [UnmanagedCallersOnly]
    private static nint RawDeleter(nint self) => (nint)(delegate* unmanaged<nint, void>)&Free;

    [UnmanagedCallersOnly]
    private static DataPtr* Allocate(DataPtr* result, nint self, nuint bytes)
    {
        nint data = bytes == 0 ? 0 : Take((long)bytes);
        if (data != 0)
        {
            if (*_zeroFill != 0)
            {
                NativeMemory.Clear((void*)data, bytes);
            }
            else if (*_junkFill != 0)
            {
                // Quiet NaN as float, a large number as int: any read of it shows.
                new Span<uint>((void*)data, (int)Math.Min((long)bytes / 4, int.MaxValue)).Fill(0x7fedbeef);
            }
        }
        *result = new DataPtr
        {
            Data = data,
            Deleter = data == 0 ? 0 : (nint)(delegate* unmanaged<nint, void>)&Free,
            Context = data,
            DeviceType = 0,
            DeviceIndex = -1,
        };
        return result;
    }

    [UnmanagedCallersOnly]
    private static void Free(nint data)
    {
        if (data != 0)
        {
            Give(data);
        }
    }

    private static nint Take(long bytes)
    {
        if (bytes < MinimumCachedBytes)
        {
            nint small = (nint)NativeMemory.AlignedAlloc((nuint)bytes, Alignment);
            if (small == 0)
            {
                throw new InsufficientMemoryException($"libtorch asked for {bytes} bytes of CPU memory");
            }
            return small;
        }
        long size = (bytes + Page - 1) / Page * Page;
        lock (_gate)
        {
            nint block;
            if (_idle.TryGetValue(size, out var stack) && stack.Count > 0)
            {
                block = stack.Pop();
                _idleOrder.Remove(_idleNodes[block]);
                _idleNodes.Remove(block);
                _idleBytes -= size;
                _hits++;
            }
            else
            {
                _misses++;
                // Mapped memory may grow to twice the largest live set seen; only beyond that are idle buffers
                // given back. Caching by exact size needs more than the live set (a size's buffers idle while
                // others are live), and evicting whenever a miss finds any idle memory is least-recently-used
                // eviction of a cyclic pattern: each training step would unmap exactly the buffers it needs next.
                long budget = Headroom * Math.Max(_peakLiveBytes, _liveBytes + size);
                EvictUntil(Math.Max(0, budget - _liveBytes - size));
                block = Map(size);
                _mappedBytes += size;
                _peakMappedBytes = Math.Max(_peakMappedBytes, _mappedBytes);
            }
            _live[block] = size;
            _liveBytes += size;
            _peakLiveBytes = Math.Max(_peakLiveBytes, _liveBytes);
            return block;
        }
    }

    private static void Give(nint data)
    {
        lock (_gate)
        {
            if (_live.Remove(data, out long size))
            {
                _liveBytes -= size;
                if (!_idle.TryGetValue(size, out var stack))
                {
                    _idle[size] = stack = new Stack<nint>();
                }
                stack.Push(data);
                _idleNodes[data] = _idleOrder.AddLast((data, size));
                _idleBytes += size;
                return;
            }
        }
        NativeMemory.AlignedFree((void*)data);
    }

    private static void EvictUntil(long idleBytes)
    {
        while (_idleBytes > idleBytes && _idleOrder.First is { } oldest)
        {
            var (block, size) = oldest.Value;
            _idleOrder.RemoveFirst();
            _idleNodes.Remove(block);
            var stack = _idle[size];
            // The oldest of a size is at the bottom of its stack; rebuild the stack without it.
            var rest = stack.Where(b => b != block).Reverse().ToArray();
            stack.Clear();
            foreach (var b in rest)
            {
                stack.Push(b);
            }
            _idleBytes -= size;
            _mappedBytes -= size;
            Unmap(block, size);
        }
    }

    private static nint Map(long size)
    {
        nint block = _mmap(0, (nuint)size, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (block == -1)
        {
            throw new InsufficientMemoryException($"libtorch asked for {size} bytes of CPU memory and mmap refused them");
        }
        return block;
    }

    private static void Unmap(nint block, long size) => _munmap(block, (nuint)size);

    private const int ProtRead = 1, ProtWrite = 2, MapPrivate = 2, MapAnonymous = 0x20;

    // c10::DataPtr on x86-64 Linux: UniqueVoidPtr { data, unique_ptr<void, deleter> (libstdc++ stores the deleter
    // first) }, then Device { int8 type, int8 index }.
    [StructLayout(LayoutKind.Sequential)]
    private struct DataPtr
    {
        public nint Data;
        public nint Deleter;
        public nint Context;
        public sbyte DeviceType;
        public sbyte DeviceIndex;
    }
}
