using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.AutoAssist.Tests.Corpus;

/// <summary>Writes minimal GNU gettext .mo files for tests (no hash table).</summary>
internal static class MoFileWriter
{
    /// <summary>The bytes of a catalog holding <paramref name="messages"/> (key = msgid with context/plural separators).</summary>
    public static byte[] Build(IReadOnlyList<(string Key, string Value)> messages, Encoding encoding, bool bigEndian = false)
    {
        int count = messages.Count;
        int originalTable = 28, translationTable = originalTable + 8 * count, strings = translationTable + 8 * count;
        var body = new MemoryStream();
        var originalDescriptors = new List<(int Length, int Offset)>();
        var translationDescriptors = new List<(int Length, int Offset)>();
        foreach (var (key, _) in messages)
        {
            originalDescriptors.Add(Append(body, encoding.GetBytes(key), strings));
        }
        foreach (var (_, value) in messages)
        {
            translationDescriptors.Add(Append(body, encoding.GetBytes(value), strings));
        }
        var file = new byte[strings + body.Length];
        void Write(int offset, uint value)
        {
            var span = file.AsSpan(offset, 4);
            if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(span, value);
            else BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        }
        Write(0, 0x950412de);
        Write(4, 0);
        Write(8, (uint)count);
        Write(12, (uint)originalTable);
        Write(16, (uint)translationTable);
        Write(20, 0);
        Write(24, (uint)strings);
        for (int i = 0; i < count; i++)
        {
            Write(originalTable + 8 * i, (uint)originalDescriptors[i].Length);
            Write(originalTable + 8 * i + 4, (uint)originalDescriptors[i].Offset);
            Write(translationTable + 8 * i, (uint)translationDescriptors[i].Length);
            Write(translationTable + 8 * i + 4, (uint)translationDescriptors[i].Offset);
        }
        body.ToArray().CopyTo(file, strings);
        return file;
    }

    private static (int Length, int Offset) Append(MemoryStream body, byte[] bytes, int baseOffset)
    {
        int offset = baseOffset + (int)body.Length;
        body.Write(bytes);
        body.WriteByte(0); // msgfmt NUL-terminates every string; the length excludes it
        return (bytes.Length, offset);
    }
}
