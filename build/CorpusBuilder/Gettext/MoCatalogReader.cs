using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Gettext;

/// <summary>
/// Reads compiled gettext catalogs (.mo, GNU format, either byte order). Fuzzy entries are never
/// compiled into a .mo by msgfmt, so every message read is a reviewed translation.
/// </summary>
public static partial class MoCatalogReader
{
    private const uint MagicLittleEndian = 0x950412de;
    private const uint MagicBigEndian = 0xde120495;
    private const int HeaderSize = 28;

    static MoCatalogReader()
    {
        // Catalogs may declare legacy charsets (ISO-8859-x, KOI8-R ...).
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    [GeneratedRegex(@"charset=([\w-]+)")]
    private static partial Regex CharsetPattern { get; }

    /// <summary>Reads the catalog at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a gettext catalog or is truncated.</exception>
    public static MoCatalog Read(string path)
    {
        try
        {
            return Read(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>Reads a catalog from its bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a gettext catalog or are truncated.</exception>
    public static MoCatalog Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize)
        {
            throw new InvalidDataException($"not a gettext .mo catalog: {data.Length} bytes is shorter than the header.");
        }
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(data);
        bool bigEndian = magic switch
        {
            MagicLittleEndian => false,
            MagicBigEndian => true,
            _ => throw new InvalidDataException($"not a gettext .mo catalog: magic number 0x{magic:x8}."),
        };
        int count = ReadCount(data, 8, bigEndian);
        int originalTable = ReadCount(data, 12, bigEndian);
        int translationTable = ReadCount(data, 16, bigEndian);
        if ((long)originalTable + 8L * count > data.Length || (long)translationTable + 8L * count > data.Length)
        {
            throw new InvalidDataException($"truncated .mo catalog: {count} messages do not fit in {data.Length} bytes.");
        }

        var originals = new (int Offset, int Length)[count];
        var translations = new (int Offset, int Length)[count];
        for (int i = 0; i < count; i++)
        {
            originals[i] = ReadStringDescriptor(data, originalTable + 8 * i, bigEndian);
            translations[i] = ReadStringDescriptor(data, translationTable + 8 * i, bigEndian);
        }

        // The header is the translation of the empty msgid; msgfmt sorts it first, but look it up
        // anyway because the charset it declares applies to every other message.
        var header = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Encoding encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        int headerIndex = Array.FindIndex(originals, s => s.Length == 0);
        if (headerIndex >= 0)
        {
            string headerText = Encoding.UTF8.GetString(Slice(data, translations[headerIndex]));
            foreach (string line in headerText.Split('\n'))
            {
                int colon = line.IndexOf(':');
                if (colon > 0)
                {
                    header[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }
            Match charset = CharsetPattern.Match(headerText);
            if (charset.Success)
            {
                encoding = StrictEncoding(charset.Groups[1].Value);
            }
        }

        var entries = new List<MoEntry>(count);
        for (int i = 0; i < count; i++)
        {
            if (i == headerIndex)
            {
                continue;
            }
            string key, value;
            try
            {
                key = encoding.GetString(Slice(data, originals[i]));
                value = encoding.GetString(Slice(data, translations[i]));
            }
            catch (DecoderFallbackException)
            {
                continue; // a message not in the declared charset cannot be trusted
            }
            entries.Add(ToEntry(key, value));
        }
        return new MoCatalog(header, entries);
    }

    private static MoEntry ToEntry(string key, string value)
    {
        string context = string.Empty;
        int eot = key.IndexOf('\u0004');
        if (eot >= 0)
        {
            context = key[..eot];
            key = key[(eot + 1)..];
        }
        string[] ids = key.Split('\0');
        string[] forms = value.Split('\0');
        return new MoEntry(context, ids[0], ids.Length > 1 ? ids[1] : null, forms);
    }

    // An unknown charset (e.g. the untranslated template's "CHARSET") yields an encoding that
    // rejects every non-ASCII byte, so such catalogs keep only what is certainly decodable.
    private static Encoding StrictEncoding(string name)
    {
        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            return Encoding.GetEncoding("us-ascii", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
    }

    private static int ReadCount(ReadOnlySpan<byte> data, int offset, bool bigEndian)
    {
        uint value = ReadUInt32(data, offset, bigEndian);
        if (value > int.MaxValue)
        {
            throw new InvalidDataException($"corrupt .mo catalog: value {value} at offset {offset}.");
        }
        return (int)value;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> data, int offset, bool bigEndian)
    {
        if (offset < 0 || offset > data.Length - 4)
        {
            throw new InvalidDataException($"truncated .mo catalog: offset {offset} is past the end ({data.Length} bytes).");
        }
        ReadOnlySpan<byte> span = data.Slice(offset, 4);
        return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
    }

    private static (int Offset, int Length) ReadStringDescriptor(ReadOnlySpan<byte> data, int offset, bool bigEndian)
    {
        int length = ReadCount(data, offset, bigEndian);
        int start = ReadCount(data, offset + 4, bigEndian);
        if ((long)start + length > data.Length)
        {
            throw new InvalidDataException($"truncated .mo catalog: string at {start} (+{length}) is past the end ({data.Length} bytes).");
        }
        return (start, length);
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, (int Offset, int Length) s) => data.Slice(s.Offset, s.Length);
}
