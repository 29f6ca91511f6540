using SkiaSharp;

namespace Shear.Data;

/// <summary>RGB pixels of many same-sized images, filled in parallel, then cut into datasets.</summary>
internal sealed class DecodedImages(int count, int width, int height)
{
    private readonly byte[] _rgb = new byte[(long)count * 3 * width * height];
    private int _colour; // 1 once any image has a pixel with R, G, B not all equal

    /// <summary>Decodes <paramref name="path"/> into slot <paramref name="index"/> as planar RGB.</summary>
    public void Store(int index, string path)
    {
        using var codec = SKCodec.Create(path, out var created)
            ?? throw new DataFormatException(path, $"corrupt or unsupported image ({created})");
        if (codec.Info.Width != width || codec.Info.Height != height)
        {
            throw new DataFormatException(path, $"image is {codec.Info.Width}x{codec.Info.Height}, the set's first image is {width}x{height}");
        }
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        var result = codec.GetPixels(info, rgba);
        if (result != SKCodecResult.Success)
        {
            throw new DataFormatException(path, $"corrupt image: decoding stopped with {result}");
        }
        int plane = width * height;
        long start = (long)index * 3 * plane;
        bool colour = false;
        for (int p = 0; p < plane; p++)
        {
            byte r = rgba[4 * p], g = rgba[(4 * p) + 1], b = rgba[(4 * p) + 2];
            _rgb[start + p] = r;
            _rgb[start + plane + p] = g;
            _rgb[start + (2 * plane) + p] = b;
            colour |= r != g || g != b;
        }
        if (colour)
        {
            Interlocked.Exchange(ref _colour, 1);
        }
    }

    /// <summary>Images <c>[first, first + length)</c> as a dataset: one channel if every image was grey.</summary>
    public ImageDataset Dataset(int first, int length, long[] labels, IReadOnlyList<string> classes, string source)
    {
        int plane = width * height;
        int channels = _colour == 1 ? 3 : 1;
        var images = new byte[(long)length * channels * plane];
        for (int i = 0; i < length; i++)
        {
            Buffer.BlockCopy(_rgb, (first + i) * 3 * plane, images, i * channels * plane, channels * plane);
        }
        return DatasetTensors.Create(images, new ImageShape(channels, height, width), labels, classes, source);
    }
}
