using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shear.Data;
using Shear.IO;
using static TorchSharp.torch;

namespace Shear.Export.Safetensors;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON
/// (<c>{"__metadata__": {…}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …}</c>, padded
/// with spaces to a multiple of 8), then the raw little-endian tensor bytes, offsets counted from the end of the
/// header. Written by hand because it is this small; every way a file can be malformed is an error naming the file
/// and the tensor.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private const string MetadataKey = "__metadata__";

    private SafetensorsFile(IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The tensors in file order (by data offset), on the CPU; owned by this object.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Tensors { get; }

    /// <summary>The free-form string metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Writes <paramref name="tensors"/> (in the given order) and <paramref name="metadata"/> to
    /// <paramref name="path"/> atomically.</summary>
    /// <exception cref="ArgumentException">Duplicate names or an unsupported element type.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            header[MetadataKey] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value))));
        }
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, value) in tensors)
        {
            if (name == MetadataKey || header.ContainsKey(name))
            {
                throw new ArgumentException($"safetensors: tensor name '{name}' is reserved or repeated", nameof(tensors));
            }
            byte[] bytes = SafetensorsDType.Encode(value);
            header[name] = new JsonObject
            {
                ["dtype"] = SafetensorsDType.NameOf(value.dtype),
                ["shape"] = new JsonArray([.. value.shape.Select(d => (JsonNode?)JsonValue.Create(d))]),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + bytes.Length)),
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            stream.Write(Enumerable.Repeat((byte)' ', padded - json.Length).ToArray());
            blobs.ForEach(b => stream.Write(b));
        });
    }

    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is malformed; the message names the file and the tensor.</exception>
    public static SafetensorsFile Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < 8)
        {
            throw new DataFormatException(path, $"{file.Length} bytes: too short for the 8-byte header length");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8))
        {
            throw new DataFormatException(path, $"header length {headerLength} exceeds the {file.Length - 8} bytes after it");
        }
        var header = ParseHeader(path, file.AsSpan(8, (int)headerLength));
        var data = file.AsMemory(8 + (int)headerLength);
        var entries = header.Where(p => p.Key != MetadataKey).Select(p => Entry.Parse(path, p.Key, p.Value, data.Length)).OrderBy(e => e.Begin).ToList();
        for (int i = 1; i < entries.Count; i++)
        {
            if (entries[i].Begin < entries[i - 1].End)
            {
                throw new DataFormatException(path, $"tensors '{entries[i - 1].Name}' and '{entries[i].Name}' overlap");
            }
        }
        var tensors = entries.Select(e => KeyValuePair.Create(e.Name, SafetensorsDType.Decode(e.DType, data.Span[(int)e.Begin..(int)e.End], e.Shape))).ToList();
        return new SafetensorsFile(tensors, ReadMetadata(path, header));
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var (_, value) in Tensors)
        {
            value.Dispose();
        }
    }

    private static JsonObject ParseHeader(string path, ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw new DataFormatException(path, "the header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"the header is not valid JSON ({e.Message})", e);
        }
    }

    private static Dictionary<string, string> ReadMetadata(string path, JsonObject header) =>
        header[MetadataKey] is not JsonObject metadata ? []
        : metadata.ToDictionary(m => m.Key, m => m.Value is JsonValue v && v.TryGetValue(out string? s) ? s
            : throw new DataFormatException(path, $"__metadata__.{m.Key}: values must be strings"));

    /// <summary>One header entry, checked against the data buffer.</summary>
    private sealed record Entry(string Name, string DType, long[] Shape, long Begin, long End)
    {
        public static Entry Parse(string path, string name, JsonNode? node, long dataLength)
        {
            DataFormatException Bad(string problem) => new(path, $"tensor '{name}': {problem}");
            if (node is not JsonObject fields)
            {
                throw Bad("its entry is not a JSON object");
            }
            string dtype = fields["dtype"] is JsonValue d && d.TryGetValue(out string? text) ? text : throw Bad("no dtype");
            int size = SafetensorsDType.SizeOf(dtype) ?? throw Bad($"unknown dtype '{dtype}' (known: {string.Join(", ", SafetensorsDType.Names)})");
            long[] shape = Longs(fields["shape"]) ?? throw Bad("shape must be a list of non-negative integers");
            long[] offsets = Longs(fields["data_offsets"]) is { Length: 2 } o ? o : throw Bad("data_offsets must be [begin, end]");
            if (offsets[0] > offsets[1] || offsets[1] > dataLength)
            {
                throw Bad($"data_offsets [{offsets[0]}, {offsets[1]}] out of range (the data holds {dataLength} bytes)");
            }
            long needed = shape.Aggregate(1L, (a, b) => a * b) * size;
            return needed == offsets[1] - offsets[0] ? new Entry(name, dtype, shape, offsets[0], offsets[1])
                : throw Bad($"shape [{string.Join(", ", shape)}] of {dtype} needs {needed} bytes, data_offsets span {offsets[1] - offsets[0]}");
        }

        private static long[]? Longs(JsonNode? node)
        {
            if (node is not JsonArray array)
            {
                return null;
            }
            var values = new long[array.Count];
            for (int i = 0; i < values.Length; i++)
            {
                if (array[i] is not JsonValue v || !v.TryGetValue(out long value) || value < 0)
                {
                    return null;
                }
                values[i] = value;
            }
            return values;
        }
    }
}
