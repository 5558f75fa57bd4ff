using System.Buffers.Binary;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The CRC-32 checks AutoAssist adds to what it writes into a model zip, so that a damaged entry fails with a
/// <see cref="FormatException"/> before a component parses it, instead of loading with altered values or
/// failing deep inside a reader (ML.NET's model format has no checksum of its own).
/// </summary>
/// <remarks>
/// <para><b>Component body</b> (the part of <c>Model.key</c> after ML.NET's 256-byte header that the component
/// writes): <c>body | CRC-32 of body (uint32 LE) | "AACRC32B"</c>. The trailer sits inside the model block, so
/// ML.NET's own size checks cover it too.</para>
/// <para><b>Binary entry</b> (written by <see cref="ModelPersistence.SaveBinaryStream"/>):
/// <c>"AABLOB01" | payload length (int64 LE) | payload | CRC-32 of payload (uint32 LE)</c>.</para>
/// <para>Models saved before these checks existed have neither: a body without the trailer is read as it is,
/// and so are the binary entries of such a component. A component whose body has the trailer must have framed
/// binary entries, so that damage to a frame cannot pass it off as an old, unchecked entry; for the same reason
/// a body whose last eight bytes match the magic in all but one byte counts as a checked body with a damaged
/// trailer (an old body's data cannot plausibly come that close).</para>
/// </remarks>
internal static class EntryIntegrity
{
    /// <summary>The last eight bytes of a checked body.</summary>
    public static ReadOnlySpan<byte> BodyTrailerMagic => "AACRC32B"u8;

    /// <summary>The first eight bytes of a framed binary entry.</summary>
    public static ReadOnlySpan<byte> BlobMagic => "AABLOB01"u8;

    /// <summary>Bytes the body trailer adds: the CRC and the magic.</summary>
    public const int BodyTrailerSize = 4 + 8;

    private const int BlobPrefixSize = 8 + 8;
    private const int BlobSuffixSize = 4;

    /// <summary>Writes <paramref name="body"/> followed by its trailer.</summary>
    public static void WriteBody(BinaryWriter destination, ReadOnlySpan<byte> body)
    {
        destination.Write(body);
        destination.Write(Crc32Checksum.Compute(body));
        destination.Write(BodyTrailerMagic);
    }

    /// <summary>
    /// Whether the model block <paramref name="block"/> ends with a trailer; if it does, checks the CRC and gives
    /// the body's length. Throws a <see cref="FormatException"/> prefixed with <paramref name="what"/> when the
    /// trailer is there and the CRC differs.
    /// </summary>
    public static bool TryCheckBody(ReadOnlySpan<byte> block, string what, out int bodyLength)
    {
        bodyLength = block.Length - BodyTrailerSize;
        if (bodyLength < 0)
            return false;
        var magic = block[^BodyTrailerMagic.Length..];
        int differing = 0;
        for (int i = 0; i < magic.Length; i++)
            differing += magic[i] == BodyTrailerMagic[i] ? 0 : 1;
        // An old body ends in its own data, which matches the eight magic bytes by chance in none or a few of
        // them; seven of eight means a checked body whose magic was damaged, which must not pass as an old one.
        if (differing == 1)
            throw Damaged(what, $"its checksum trailer is damaged (it ends in '{Printable(magic)}', not 'AACRC32B')");
        if (differing > 1)
            return false;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(block[bodyLength..]);
        uint actual = Crc32Checksum.Compute(block[..bodyLength]);
        if (stored != actual)
            throw Damaged(what, $"the CRC-32 of its {bodyLength}-byte body is 0x{actual:X8}, but 0x{stored:X8} was saved");
        return true;
    }

    /// <summary>Writes the framed form of the binary entry written by <paramref name="write"/>.</summary>
    public static void WriteBlob(BinaryWriter destination, Action<BinaryWriter> write)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
            writer.Flush();
        }
        var bytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        destination.Write(BlobMagic);
        destination.Write((long)bytes.Length);
        destination.Write(bytes);
        destination.Write(Crc32Checksum.Compute(bytes));
    }

    /// <summary>Whether the stream (at its start) holds a framed binary entry; leaves the position where it was.</summary>
    public static bool IsFramedBlob(Stream entry)
    {
        long start = entry.Position;
        Span<byte> magic = stackalloc byte[8];
        int read = entry.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        entry.Position = start;
        return read == magic.Length && magic.SequenceEqual(BlobMagic);
    }

    /// <summary>
    /// Reads a framed binary entry from its start, checks its length against the entry's and its CRC, and returns
    /// the payload. Throws a <see cref="FormatException"/> prefixed with <paramref name="what"/> on any mismatch.
    /// </summary>
    public static byte[] ReadBlob(Stream entry, string what)
    {
        long available = entry.Length - entry.Position;
        Span<byte> prefix = stackalloc byte[BlobPrefixSize];
        if (entry.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length || !prefix[..8].SequenceEqual(BlobMagic))
            throw Damaged(what, "it does not start with the AutoAssist frame 'AABLOB01' that a checked entry has");
        long length = BinaryPrimitives.ReadInt64LittleEndian(prefix[8..]);
        // Checked against the entry's real length before anything is allocated.
        if (length < 0 || length != available - BlobPrefixSize - BlobSuffixSize)
            throw Damaged(what, $"its frame declares a {length}-byte payload, but the entry holds {available} bytes " +
                $"({Math.Max(0, available - BlobPrefixSize - BlobSuffixSize)} after the frame); it is truncated or altered");
        var payload = new byte[length];
        entry.ReadExactly(payload);
        Span<byte> crcBytes = stackalloc byte[BlobSuffixSize];
        entry.ReadExactly(crcBytes);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(crcBytes);
        uint actual = Crc32Checksum.Compute(payload);
        if (stored != actual)
            throw Damaged(what, $"the CRC-32 of its {length}-byte payload is 0x{actual:X8}, but 0x{stored:X8} was saved");
        return payload;
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            chars[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : '?';
        return new string(chars);
    }

    private static FormatException Damaged(string what, string problem)
        => new($"{what}: {problem}. The model file is damaged; save the model again from a good copy.");
}
