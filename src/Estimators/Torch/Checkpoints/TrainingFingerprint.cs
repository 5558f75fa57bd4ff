using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// What identifies a training run for its checkpoints, so that a checkpoint folder reused with other
/// data or settings is refused instead of silently resuming the old run: the row count and schema
/// the selection session cached, a hash of every row id, a hash of the values of a deterministic
/// sample of rows, and the effective settings that change training.
/// </summary>
/// <remarks>
/// Values are hashed for vectors and scalars of Single, keys and text (what the Bosses read); other
/// column types are covered by the schema only. Ids and values are read from the training view in
/// one pass over the trainer's columns, only when checkpointing.
/// </remarks>
internal static class TrainingFingerprint
{
    /// <summary>About this many rows have their values hashed, spread evenly over the data.</summary>
    private const int SampledRows = 64;

    /// <param name="session">The session over the training data (its cached row count and schema).</param>
    /// <param name="data">The training view the session was opened on, read again for ids and sampled values.</param>
    /// <param name="columns">The trainer's columns.</param>
    /// <param name="settings">The effective settings that change training, by name.</param>
    public static Dictionary<string, string> Of(SelectiveTrainingSession session, IDataView data, IReadOnlyList<string> columns,
        IEnumerable<KeyValuePair<string, object?>> settings)
    {
        var fingerprint = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["data.rows"] = session.RowCount.ToString(CultureInfo.InvariantCulture),
            ["data.schema"] = string.Join(", ", session.Schema.Select(c => $"{c.Name}: {c.Type}")),
        };
        (fingerprint["data.rowIds"], fingerprint["data.sampledValues"]) = HashRows(data, columns, session.RowCount);
        foreach (var (name, value) in settings)
            fingerprint["settings." + name] = Format(value);
        return fingerprint;
    }

    /// <summary>The entries that differ, each described for an error message; empty when the fingerprints match.</summary>
    public static List<string> Differences(IReadOnlyDictionary<string, string> saved, IReadOnlyDictionary<string, string> current)
    {
        var differences = new List<string>();
        foreach (var key in saved.Keys.Union(current.Keys).Order(StringComparer.Ordinal))
        {
            saved.TryGetValue(key, out var before);
            current.TryGetValue(key, out var now);
            if (before == now)
                continue;
            // Hashes mean nothing to a reader: name them only.
            differences.Add(key is "data.rowIds" or "data.sampledValues"
                ? $"{key} differ"
                : $"{key} was {before ?? "absent"}, is {now ?? "absent"}");
        }
        return differences;
    }

    private static (string Ids, string Values) HashRows(IDataView data, IReadOnlyList<string> columns, int rowCount)
    {
        using var ids = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var values = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long stride = Math.Max(1, rowCount / SampledRows);
        var active = columns.Select(name => data.Schema[name]).ToArray();
        using var cursor = data.GetRowCursor(active);
        var idGetter = cursor.GetIdGetter();
        var appenders = active.Select(column => ValueAppender(cursor, column)).ToArray();
        DataViewRowId id = default;
        Span<byte> idBytes = stackalloc byte[16];
        for (long row = 0; cursor.MoveNext(); row++)
        {
            idGetter(ref id);
            BitConverter.TryWriteBytes(idBytes[..8], id.Low);
            BitConverter.TryWriteBytes(idBytes[8..], id.High);
            ids.AppendData(idBytes);
            if (row % stride != 0)
                continue;
            foreach (var append in appenders)
                append?.Invoke(values);
        }
        return (Convert.ToHexString(ids.GetHashAndReset()), Convert.ToHexString(values.GetHashAndReset()));
    }

    /// <summary>Appends the current row's value of <paramref name="column"/> to a hash; null for types not hashed.</summary>
    private static Action<IncrementalHash>? ValueAppender(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case VectorDataViewType vector when vector.ItemType == NumberDataViewType.Single:
            {
                var getter = cursor.GetGetter<VBuffer<float>>(column);
                VBuffer<float> buffer = default;
                return hash =>
                {
                    getter(ref buffer);
                    hash.AppendData(MemoryMarshal.AsBytes(buffer.DenseValues().ToArray().AsSpan()));
                };
            }
            case NumberDataViewType number when number == NumberDataViewType.Single:
            {
                var getter = cursor.GetGetter<float>(column);
                float value = 0;
                return hash =>
                {
                    getter(ref value);
                    hash.AppendData(BitConverter.GetBytes(value));
                };
            }
            case KeyDataViewType key when key.RawType == typeof(uint):
            {
                var getter = cursor.GetGetter<uint>(column);
                uint value = 0;
                return hash =>
                {
                    getter(ref value);
                    hash.AppendData(BitConverter.GetBytes(value));
                };
            }
            case TextDataViewType:
            {
                var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                ReadOnlyMemory<char> value = default;
                return hash =>
                {
                    getter(ref value);
                    hash.AppendData(MemoryMarshal.AsBytes(value.Span));
                    hash.AppendData(BitConverter.GetBytes(value.Length)); // so "ab","c" and "a","bc" differ
                };
            }
            default:
                return null;
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        double[] array => "[" + string.Join(", ", array.Select(d => d.ToString("R", CultureInfo.InvariantCulture))) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
