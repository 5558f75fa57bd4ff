using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Encodes 8-bit grayscale images as PNG files, with nothing beyond the .NET base library
/// (<see cref="ZLibStream"/> for the image data and a hand-written CRC-32 for the chunks).
/// The output is lossless: a PNG decoder returns exactly the bytes given here.
/// </summary>
public static class PngWriter
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Writes a PNG file holding an 8-bit grayscale image.
    /// </summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="pixels">The gray levels, row-major, <paramref name="width"/> × <paramref name="height"/> bytes (0 black, 255 white).</param>
    /// <param name="width">The image width in pixels.</param>
    /// <param name="height">The image height in pixels.</param>
    public static void WriteGrayscale(string path, ReadOnlySpan<byte> pixels, int width, int height)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] png = EncodeGrayscale(pixels, width, height);
        File.WriteAllBytes(path, png);
    }

    /// <summary>
    /// Writes an 8-bit grayscale image in PNG format to a stream.
    /// </summary>
    /// <param name="destination">The stream to write to; it is left open.</param>
    /// <param name="pixels">The gray levels, row-major, <paramref name="width"/> × <paramref name="height"/> bytes (0 black, 255 white).</param>
    /// <param name="width">The image width in pixels.</param>
    /// <param name="height">The image height in pixels.</param>
    public static void WriteGrayscale(Stream destination, ReadOnlySpan<byte> pixels, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(EncodeGrayscale(pixels, width, height));
    }

    /// <summary>
    /// Encodes an 8-bit grayscale image as the bytes of a PNG file.
    /// </summary>
    /// <param name="pixels">The gray levels, row-major, <paramref name="width"/> × <paramref name="height"/> bytes (0 black, 255 white).</param>
    /// <param name="width">The image width in pixels.</param>
    /// <param name="height">The image height in pixels.</param>
    /// <returns>The complete PNG file.</returns>
    public static byte[] EncodeGrayscale(ReadOnlySpan<byte> pixels, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height != pixels.Length)
        {
            throw new ArgumentException(
                $"A {width}x{height} grayscale image needs {(long)width * height} pixel bytes, but {pixels.Length} were given.",
                nameof(pixels));
        }

        using var png = new MemoryStream();
        png.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;   // bit depth
        header[9] = 0;   // colour type 0: grayscale
        header[10] = 0;  // compression method: deflate
        header[11] = 0;  // filter method: adaptive, with filter type chosen per line below
        header[12] = 0;  // no interlace
        WriteChunk(png, "IHDR", header);

        WriteChunk(png, "IDAT", CompressScanlines(pixels, width, height));
        WriteChunk(png, "IEND", ReadOnlySpan<byte>.Empty);
        return png.ToArray();
    }

    // Each scanline is preceded by its filter type; type 0 (None) keeps the encoder trivial, and
    // deflate still compresses the mostly-black Fashion-MNIST images well.
    private static byte[] CompressScanlines(ReadOnlySpan<byte> pixels, int width, int height)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            ReadOnlySpan<byte> noFilter = [0];
            for (int y = 0; y < height; y++)
            {
                zlib.Write(noFilter);
                zlib.Write(pixels.Slice(y * width, width));
            }
        }
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);

        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        png.Write(typeBytes);
        png.Write(data);

        // The CRC covers the chunk type and data, not the length.
        uint crc = Crc32Checksum.Finish(Crc32Checksum.Update(Crc32Checksum.Update(Crc32Checksum.Initial, typeBytes), data));
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        png.Write(word);
    }
}
