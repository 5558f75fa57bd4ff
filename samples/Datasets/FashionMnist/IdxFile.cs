using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// One gzipped IDX file (the format of MNIST and Fashion-MNIST): a big-endian header, a magic
/// number whose low byte is the number of dimensions, the dimension sizes, then unsigned bytes.
/// Opening reads and checks the header; <see cref="ReadItems"/> reads the first items of the body.
/// Every error names the file.
/// </summary>
internal sealed class IdxFile : IDisposable
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const uint ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const uint LabelsMagic = 0x00000801;

    private const int InitialBufferSize = 1 << 20;

    private readonly Stream _body;
    private int _itemsRead;

    private IdxFile(string path, Stream body, int[] dimensions)
    {
        Path = path;
        _body = body;
        Dimensions = dimensions;
    }

    /// <summary>The file this reads.</summary>
    public string Path { get; }

    /// <summary>The dimension sizes from the header; the first is the number of items.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The number of items the header declares.</summary>
    public int ItemCount => Dimensions[0];

    /// <summary>The number of bytes in one item (the product of the dimensions after the first).</summary>
    public int ItemSize
    {
        get
        {
            int size = 1;
            for (int i = 1; i < Dimensions.Count; i++)
                size *= Dimensions[i];
            return size;
        }
    }

    /// <summary>
    /// Opens a gzipped IDX file and checks its header against <paramref name="expectedMagic"/>.
    /// </summary>
    /// <param name="path">The .gz file.</param>
    /// <param name="expectedMagic"><see cref="ImagesMagic"/> or <see cref="LabelsMagic"/>.</param>
    /// <param name="missingFileAdvice">Said after "file X does not exist." to tell the user how to get it.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not gzip, its gzip data is corrupt, or its header is cut short, has the wrong magic number or
    /// declares impossible sizes. Every message names the file; no damage makes the reader allocate much more than
    /// the file holds.
    /// </exception>
    public static IdxFile Open(string path, uint expectedMagic, string missingFileAdvice)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The IDX file '{path}' does not exist. {missingFileAdvice}", path);

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            CheckGzipSignature(file, path);
            var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
            // Once the GZipStream owns the file, disposing it closes both.
            try
            {
                int[] dimensions = ReadHeader(gzip, path, expectedMagic);
                return new IdxFile(path, gzip, dimensions);
            }
            catch
            {
                gzip.Dispose();
                throw;
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the next <paramref name="count"/> items of the body, <see cref="ItemSize"/> bytes each.
    /// </summary>
    /// <exception cref="InvalidDataException">The file ends before those items, or is corrupt.</exception>
    public byte[] ReadItems(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_itemsRead + count > ItemCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"'{Path}' declares only {ItemCount} items.");

        int itemSize = ItemSize;
        long needed = (long)count * itemSize;
        if (needed > Array.MaxLength)
        {
            throw new InvalidDataException(
                $"The IDX file '{Path}' declares {ItemCount} items of {itemSize} bytes, more than one array can hold; " +
                "its header is damaged or the file is not an IDX file.");
        }

        // The buffer grows as the data arrives instead of trusting the header's count, so a damaged header cannot
        // make this allocate much more than the file really holds.
        var buffer = new byte[Math.Min(needed, InitialBufferSize)];
        int filled = 0;
        while (filled < needed)
        {
            if (filled == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(needed, 2L * buffer.Length));
            int wanted = buffer.Length - filled;
            int read = ReadFully(buffer.AsSpan(filled, wanted));
            filled += read;
            if (read < wanted)
                break;
        }
        if (filled < needed)
        {
            int expectedTotal = _itemsRead + count;
            int foundTotal = _itemsRead + filled / itemSize;
            throw new InvalidDataException(
                $"The IDX file '{Path}' is truncated: its header declares {ItemCount} items of {itemSize} bytes, " +
                $"but the data ends after {foundTotal} complete items ({(long)_itemsRead * itemSize + filled} of the " +
                $"{(long)expectedTotal * itemSize} bytes needed). Download or reinstall the file.");
        }
        _itemsRead += count;
        return buffer;
    }

    /// <inheritdoc/>
    public void Dispose() => _body.Dispose();

    private int ReadFully(Span<byte> buffer)
    {
        try
        {
            return _body.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"The gzip data of '{Path}' is corrupt ({e.Message}). Download or reinstall the file.", e);
        }
    }

    private static void CheckGzipSignature(FileStream file, string path)
    {
        Span<byte> signature = stackalloc byte[2];
        int read = file.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
        if (read < 2 || signature[0] != 0x1F || signature[1] != 0x8B)
        {
            throw new InvalidDataException(
                $"'{path}' is not a gzip file (it does not start with the bytes 1F 8B). " +
                "Fashion-MNIST is read from the gzipped IDX files as published (*-ubyte.gz); do not decompress them.");
        }
        file.Position = 0;
    }

    private static int[] ReadHeader(GZipStream gzip, string path, uint expectedMagic)
    {
        Span<byte> word = stackalloc byte[4];
        int dimensionCount = (int)(expectedMagic & 0xFF);

        ReadHeaderWord(gzip, word, path, 0, dimensionCount);
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(word);
        if (magic != expectedMagic)
        {
            throw new InvalidDataException(
                $"'{path}' has the wrong magic number: expected 0x{expectedMagic:X8} " +
                $"({DescribeMagic(expectedMagic)}), found 0x{magic:X8}. Check that the file is the one its name says.");
        }

        var dimensions = new int[dimensionCount];
        for (int i = 0; i < dimensionCount; i++)
        {
            ReadHeaderWord(gzip, word, path, i + 1, dimensionCount);
            uint size = BinaryPrimitives.ReadUInt32BigEndian(word);
            if (size > int.MaxValue)
                throw new InvalidDataException($"'{path}' declares an impossible size {size} for dimension {i} in its header.");
            dimensions[i] = (int)size;
        }
        long itemSize = 1;
        for (int i = 1; i < dimensionCount; i++)
        {
            itemSize *= dimensions[i];
            if (itemSize > Array.MaxLength)
                throw new InvalidDataException($"'{path}' declares items of more than {Array.MaxLength} bytes in its header; the header is damaged.");
        }
        return dimensions;
    }

    private static void ReadHeaderWord(GZipStream gzip, Span<byte> word, string path, int wordIndex, int dimensionCount)
    {
        int read;
        try
        {
            read = gzip.ReadAtLeast(word, 4, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"The gzip data of '{path}' is corrupt ({e.Message}). Download or reinstall the file.", e);
        }
        if (read < 4)
        {
            int headerBytes = 4 * (1 + dimensionCount);
            throw new InvalidDataException(
                $"The IDX file '{path}' is truncated: its header needs {headerBytes} bytes, " +
                $"but the data ends after {wordIndex * 4 + read}. Download or reinstall the file.");
        }
    }

    private static string DescribeMagic(uint magic) => magic switch
    {
        ImagesMagic => "unsigned-byte images with 3 dimensions",
        LabelsMagic => "unsigned-byte labels with 1 dimension",
        _ => "IDX",
    };
}
