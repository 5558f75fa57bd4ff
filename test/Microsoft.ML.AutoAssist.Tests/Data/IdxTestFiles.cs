using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.AutoAssist.Tests.Data;

/// <summary>Writes small IDX files into a temporary folder that is deleted on dispose.</summary>
internal sealed class IdxTestFiles : IDisposable
{
    public IdxTestFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "autoassist-idx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string ImagesPath(FashionMnistSplit split) => Path.Combine(Folder, FashionMnist.GetImagesFileName(split));

    public string LabelsPath(FashionMnistSplit split) => Path.Combine(Folder, FashionMnist.GetLabelsFileName(split));

    /// <summary>Deterministic pixels: image i, pixel p has gray level (i * 31 + p * 7) mod 256.</summary>
    public static byte[] MakePixels(int count, int height = FashionMnist.ImageHeight, int width = FashionMnist.ImageWidth)
    {
        var pixels = new byte[count * height * width];
        for (int i = 0; i < count; i++)
            for (int p = 0; p < height * width; p++)
                pixels[i * height * width + p] = (byte)((i * 31 + p * 7) % 256);
        return pixels;
    }

    public static byte[] MakeLabels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();

    /// <summary>Writes a valid split of <paramref name="count"/> images.</summary>
    public void WriteSplit(FashionMnistSplit split, int count)
    {
        WriteImages(split, count, MakePixels(count));
        WriteLabels(split, count, MakeLabels(count));
    }

    public void WriteImages(FashionMnistSplit split, int declaredCount, byte[] body,
        uint magic = 0x00000803, int height = FashionMnist.ImageHeight, int width = FashionMnist.ImageWidth)
        => WriteGzip(ImagesPath(split), Header(magic, declaredCount, height, width), body);

    public void WriteLabels(FashionMnistSplit split, int declaredCount, byte[] body, uint magic = 0x00000801)
        => WriteGzip(LabelsPath(split), Header(magic, declaredCount), body);

    public static byte[] Header(uint magic, params int[] dimensions)
    {
        var header = new byte[4 * (1 + dimensions.Length)];
        BinaryPrimitives.WriteUInt32BigEndian(header, magic);
        for (int i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 * (i + 1)), dimensions[i]);
        return header;
    }

    public static void WriteGzip(string path, byte[] header, byte[] body)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(header);
        gzip.Write(body);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
