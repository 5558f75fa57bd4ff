using System.Buffers.Binary;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

/// <summary>Checks on the harness's output files.</summary>
internal static class HarnessFiles
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A PNG: the signature, an IHDR chunk first with the given size (when given), an IEND chunk last.</summary>
    public static void AssertPng(byte[] png, int? width = null, int? height = null)
    {
        Assert.True(png.Length > 8 + 25 + 12, "A PNG holds at least a signature, an IHDR and an IEND chunk.");
        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        if (width is not null)
            Assert.Equal(width.Value, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        if (height is not null)
            Assert.Equal(height.Value, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal("IEND"u8.ToArray(), png[^8..^4]);
    }
}
