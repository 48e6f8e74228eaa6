using System.Buffers.Binary;
using System.IO.Compression;

namespace MixMate.Cli.Tests;

/// <summary>
/// A minimal PNG reader for checking screenshots (PNG specification, W3C 2003): 8-bit greyscale,
/// RGB or RGBA, not interlaced; IDAT chunks are concatenated, inflated (zlib) and unfiltered
/// (§9: None, Sub, Up, Average, Paeth).
/// </summary>
internal sealed class HtmlPngImage
{
    private static readonly byte[] s_signature = [137, 80, 78, 71, 13, 10, 26, 10];

    private HtmlPngImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Samples per pixel: 1 (grey), 3 (RGB) or 4 (RGBA).</summary>
    public int Channels { get; }

    /// <summary>Rows of <see cref="Width"/> × <see cref="Channels"/> bytes, unfiltered.</summary>
    public byte[] Pixels { get; }

    /// <summary>Width and height from the IHDR chunk only.</summary>
    public static (int Width, int Height) ReadSize(byte[] file)
    {
        CheckSignature(file);
        return ((int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(16)), (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(20)));
    }

    public static HtmlPngImage Decode(byte[] file)
    {
        CheckSignature(file);
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (int at = 8; at + 8 <= file.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            ReadOnlySpan<byte> data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
                height = (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                byte depth = data[8], colour = data[9], interlace = data[12];
                channels = colour switch { 0 => 1, 2 => 3, 6 => 4, _ => 0 };
                if (depth != 8 || channels == 0 || interlace != 0)
                {
                    throw new NotSupportedException($"PNG with depth {depth}, colour type {colour}, interlace {interlace}.");
                }
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }

            at += 12 + length;
        }

        compressed.Position = 0;
        using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflater.CopyTo(raw);
        byte[] filtered = raw.ToArray();
        int stride = width * channels;
        if (filtered.Length < height * (stride + 1))
        {
            throw new InvalidDataException("Truncated image data.");
        }

        byte[] pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = filtered[y * (stride + 1)];
            ReadOnlySpan<byte> source = filtered.AsSpan((y * (stride + 1)) + 1, stride);
            Span<byte> row = pixels.AsSpan(y * stride, stride);
            ReadOnlySpan<byte> up = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= channels ? row[x - channels] : 0;
                int b = up[x];
                int c = x >= channels ? up[x - channels] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Unknown PNG filter {filter}."),
                };
                row[x] = (byte)(source[x] + predictor);
            }
        }

        return new HtmlPngImage(width, height, channels, pixels);
    }

    /// <summary>Luma (0..255) of pixel (x, y), BT.601 weights.</summary>
    public double Luma(int x, int y)
    {
        int i = ((y * Width) + x) * Channels;
        return Channels < 3 ? Pixels[i] : (0.299 * Pixels[i]) + (0.587 * Pixels[i + 1]) + (0.114 * Pixels[i + 2]);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void CheckSignature(byte[] file)
    {
        if (file.Length < 33 || !file.AsSpan(0, 8).SequenceEqual(s_signature))
        {
            throw new InvalidDataException("Not a PNG file.");
        }
    }
}
