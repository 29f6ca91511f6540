using System.Runtime.InteropServices;
using TorchSharp;
using Xunit;

namespace Shear.Runtime;

/// <summary>Tests that turn c10's process-wide allocator flags on run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class AllocatorFlagsGroup
{
    public const string Name = "c10 allocator flags";
}

/// <summary>c10's zero- and junk-fill flags: plain exported bools its CPU allocators read on every allocation.</summary>
internal static class AllocatorFlags
{
    public const string ZeroFill = "FLAGS_caffe2_cpu_allocator_do_zero_fill";
    public const string JunkFill = "FLAGS_caffe2_cpu_allocator_do_junk_fill";

    /// <summary>Runs <paramref name="body"/> with one flag on, and turns it off again whatever happens.</summary>
    public static T With<T>(string symbol, Func<T> body)
    {
        Write(symbol, true);
        try
        {
            return body();
        }
        finally
        {
            Write(symbol, false);
        }
    }

    public static unsafe bool Read(string symbol) => *(byte*)Address(symbol) != 0;

    private static unsafe void Write(string symbol, bool value) => *(byte*)Address(symbol) = value ? (byte)1 : (byte)0;

    private static IntPtr Address(string symbol) =>
        NativeLibrary.GetExport(NativeLibrary.Load("c10", typeof(torch).Assembly, null), symbol);
}
