using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Data;

/// <summary>The PNG encoder, and the export that lets ML.NET's ImageAnalytics read Fashion-MNIST.</summary>
public sealed class PngExportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "autoassist-png-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        // The check value of CRC-32/ISO-HDLC, the CRC that PNG uses.
        Assert.Equal(0xCBF43926u, Crc32Checksum.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void EncodedPngHasValidChunksAndLosslessData()
    {
        const int width = 5, height = 3;
        byte[] pixels = Enumerable.Range(0, width * height).Select(i => (byte)(i * 17)).ToArray();

        byte[] png = PngWriter.EncodeGrayscale(pixels, width, height);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = new List<(string Type, byte[] Data)>();
        for (int at = 8; at < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var typeAndData = png.AsSpan(at + 4, 4 + length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(Crc32Checksum.Compute(typeAndData), crc);
            chunks.Add((Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray()));
            at += 12 + length;
        }
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data.AsSpan(4)));
        Assert.Equal(new byte[] { 8, 0, 0, 0, 0 }, chunks[0].Data[8..]);

        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress))
            zlib.CopyTo(inflated);
        byte[] expectedScanlines = Enumerable.Range(0, height)
            .SelectMany(y => new byte[] { 0 }.Concat(pixels.Skip(y * width).Take(width))).ToArray();
        Assert.Equal(expectedScanlines, inflated.ToArray());
    }

    [Fact]
    public void EncoderRejectsWrongPixelCount()
    {
        var e = Assert.Throws<ArgumentException>(() => PngWriter.EncodeGrayscale(new byte[10], 4, 3));
        Assert.Contains("4x3", e.Message);
    }

    [Fact]
    public void ImageAnalyticsPipelineOnExportedPngsReproducesThePixels()
    {
        const int count = 12;
        var mlContext = new MLContext(seed: 1);
        var data = FashionMnist.LoadData(FashionMnistSplit.Test, maxRows: count);
        string indexPath = FashionMnist.ExportPng(data, _folder, count);

        var index = mlContext.Data.LoadFromTextFile(indexPath,
            [new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Label", DataKind.String, 1)],
            separatorChar: '\t', hasHeader: true);
        // A decoded grayscale PNG has R = G = B = the gray level: the red channel alone is the image.
        var pipeline = mlContext.Transforms.LoadImages("Image", _folder, "ImagePath")
            .Append(mlContext.Transforms.ResizeImages("Image", FashionMnist.ImageWidth, FashionMnist.ImageHeight))
            .Append(mlContext.Transforms.ExtractPixels("Gray", "Image",
                colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Append(mlContext.Transforms.ExtractPixels("Rgb", "Image",
                colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Rgb));
        var images = pipeline.Fit(index).Transform(index);

        Assert.Equal(new[] { 1, 28, 28 }, ((VectorDataViewType)images.Schema["Gray"].Type).Dimensions.ToArray());
        // float[] rather than VBuffer: GetColumn reuses one VBuffer's memory for every row.
        var gray = images.GetColumn<float[]>("Gray").ToArray();
        var rgb = images.GetColumn<float[]>("Rgb").ToArray();
        var names = images.GetColumn<ReadOnlyMemory<char>>("Label").Select(n => n.ToString()).ToArray();
        var original = data.ToDataView().GetColumn<float[]>(FashionMnist.PixelsColumnName).ToArray();
        Assert.Equal(count, gray.Length);
        for (int row = 0; row < count; row++)
        {
            Assert.Equal(FashionMnist.ClassNames[data.GetLabel(row)], names[row]);
            var levels = data.GetImage(row);
            var expected = original[row];
            var actual = gray[row];
            var channels = rgb[row];
            for (int p = 0; p < FashionMnist.PixelCount; p++)
            {
                // Unscaled, every channel is exactly the original byte; scaled, the only difference
                // is multiplying by 1/255 instead of dividing by 255 (well under 1/255).
                for (int c = 0; c < 3; c++)
                    Assert.Equal(levels[p], channels[c * FashionMnist.PixelCount + p]);
                Assert.Equal(expected[p], actual[p], 1e-6f);
            }
        }
    }

    [Fact]
    public void ExportIsIdempotentAndWritesAHeaderedIndex()
    {
        var data = new FashionMnistData(IdxTestFiles.MakePixels(3), new byte[] { 9, 0, 5 });

        string indexPath = FashionMnist.ExportPng(data, _folder);
        var firstBytes = Directory.GetFiles(_folder).Order().Select(File.ReadAllBytes).ToArray();
        string again = FashionMnist.ExportPng(data, _folder);
        var secondBytes = Directory.GetFiles(_folder).Order().Select(File.ReadAllBytes).ToArray();

        Assert.Equal(indexPath, again);
        Assert.Equal(Path.Combine(Path.GetFullPath(_folder), "images.tsv"), indexPath);
        Assert.Equal(4, secondBytes.Length); // three images and the index, nothing left over
        Assert.Equal(firstBytes, secondBytes);
        Assert.Equal(
            ["ImagePath\tLabel", "image-00000.png\tAnkle boot", "image-00001.png\tT-shirt/top", "image-00002.png\tSandal"],
            File.ReadAllLines(indexPath));
    }

    [Fact]
    public void ExportOfMoreImagesThanTheDataHoldsIsRefused()
    {
        var data = new FashionMnistData(IdxTestFiles.MakePixels(2), new byte[] { 1, 2 });

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.ExportPng(data, _folder, 3));
        Assert.Contains("2 images", e.Message);
    }
}
