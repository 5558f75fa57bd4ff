using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>One cached column of the training rows, readable by row index.</summary>
internal abstract class StoredColumn
{
    protected StoredColumn(DataViewSchema.Column column) => Column = column;

    /// <summary>The column as it was in the input schema (name, type, annotations).</summary>
    public DataViewSchema.Column Column { get; }

    /// <summary>A getter that reads the value of the cached row the epoch stands on (<see cref="EpochPosition.CurrentRow"/>).</summary>
    public abstract Delegate MakeGetter(EpochPosition position);

    /// <summary>Creates the builder that reads this column's values from a cursor.</summary>
    public static StoredColumnBuilder CreateBuilder(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var type = column.Type;
        if (type is VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType } v && v.ItemType.RawType == typeof(float))
            return new DenseFloatVectorColumn.Builder(cursor, column, v.Size);
        if (type is KeyDataViewType && type.RawType == typeof(uint))
            return new KeyColumn.Builder(cursor, column);
        if (type is TextDataViewType)
            return new TextColumn.Builder(cursor, column);
        if (type is VectorDataViewType)
        {
            var builderType = typeof(VBufferColumn<>.Builder).MakeGenericType(type.RawType.GetGenericArguments()[0]);
            return (StoredColumnBuilder)Activator.CreateInstance(builderType, cursor, column)!;
        }
        var scalarType = typeof(ScalarColumn<>.Builder).MakeGenericType(type.RawType);
        return (StoredColumnBuilder)Activator.CreateInstance(scalarType, cursor, column)!;
    }
}

/// <summary>Reads one column's values from one cursor; several builders of a column are merged in row-id order.</summary>
internal abstract class StoredColumnBuilder
{
    protected StoredColumnBuilder(DataViewSchema.Column column) => Column = column;

    public DataViewSchema.Column Column { get; }

    public abstract int Count { get; }

    /// <summary>Copies the cursor's current value. <paramref name="rowId"/> is for error messages.</summary>
    public abstract void Append(DataViewRowId rowId);

    /// <summary>Builds the stored column from partial builders, taking rows in the given (part, index) order.</summary>
    public abstract StoredColumn Merge(IReadOnlyList<StoredColumnBuilder> parts, (int Part, int Index)[] order);
}

/// <summary>A builder that keeps one value per row in a list; merging gathers them in row-id order.</summary>
internal abstract class ListColumnBuilder<T>(DataViewSchema.Column column) : StoredColumnBuilder(column)
{
    protected List<T> Values { get; } = new();

    public override int Count => Values.Count;

    protected static T[] Gather(IReadOnlyList<StoredColumnBuilder> parts, (int Part, int Index)[] order)
        => order.Select(o => ((ListColumnBuilder<T>)parts[o.Part]).Values[o.Index]).ToArray();
}

/// <summary>A known-size float vector column kept as one flat row-major array (fast Assistant scoring).</summary>
internal sealed class DenseFloatVectorColumn : StoredColumn
{
    public DenseFloatVectorColumn(DataViewSchema.Column column, float[] values, int dimension) : base(column)
    {
        Values = values;
        Dimension = dimension;
    }

    public float[] Values { get; }
    public int Dimension { get; }

    public override Delegate MakeGetter(EpochPosition position)
    {
        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> dst) =>
        {
            var editor = VBufferEditor.Create(ref dst, Dimension);
            Values.AsSpan(position.CurrentRow * Dimension, Dimension).CopyTo(editor.Values);
            dst = editor.Commit();
        };
        return getter;
    }

    internal sealed class Builder : StoredColumnBuilder
    {
        private readonly ValueGetter<VBuffer<float>> _getter;
        private readonly int _dimension;
        private float[] _values;
        private VBuffer<float> _buffer;
        private int _count;

        public Builder(DataViewRowCursor cursor, DataViewSchema.Column column, int dimension) : base(column)
        {
            _getter = cursor.GetGetter<VBuffer<float>>(column);
            _dimension = dimension;
            _values = new float[dimension * 1024];
        }

        public override int Count => _count;

        public override void Append(DataViewRowId rowId)
        {
            _getter(ref _buffer);
            if (_buffer.Length != _dimension)
                throw new InvalidDataException($"Column '{Column.Name}' should hold {_dimension} values per row but row {RowStore.Describe(rowId)} holds {_buffer.Length}.");
            if ((long)(_count + 1) * _dimension > _values.Length)
                Array.Resize(ref _values, checked(_values.Length * 2));
            var row = _values.AsSpan(_count * _dimension, _dimension);
            _buffer.CopyTo(row);
            for (int j = 0; j < row.Length; j++)
            {
                if (!float.IsFinite(row[j]))
                    throw new InvalidDataException(
                        $"Column '{Column.Name}' holds a non-finite value ({row[j]}) in slot {j} of row {RowStore.Describe(rowId)}. " +
                        "Clean or impute the features before AutoAssistFilter (for example with ReplaceMissingValues).");
            }
            _count++;
        }

        public override StoredColumn Merge(IReadOnlyList<StoredColumnBuilder> parts, (int Part, int Index)[] order)
        {
            var values = new float[(long)order.Length * _dimension];
            for (int i = 0; i < order.Length; i++)
            {
                var part = (Builder)parts[order[i].Part];
                part._values.AsSpan(order[i].Index * _dimension, _dimension).CopyTo(values.AsSpan(i * _dimension, _dimension));
            }
            return new DenseFloatVectorColumn(Column, values, _dimension);
        }
    }
}

/// <summary>A key column with UInt32 raw values (1-based, 0 = missing).</summary>
internal sealed class KeyColumn : StoredColumn
{
    public KeyColumn(DataViewSchema.Column column, uint[] values) : base(column) => Values = values;

    public uint[] Values { get; }

    public int KeyCount => checked((int)((KeyDataViewType)Column.Type).Count);

    public override Delegate MakeGetter(EpochPosition position)
    {
        ValueGetter<uint> getter = (ref uint dst) => dst = Values[position.CurrentRow];
        return getter;
    }

    internal sealed class Builder(DataViewRowCursor cursor, DataViewSchema.Column column) : ListColumnBuilder<uint>(column)
    {
        private readonly ValueGetter<uint> _getter = cursor.GetGetter<uint>(column);

        public override void Append(DataViewRowId rowId)
        {
            uint value = 0;
            _getter(ref value);
            Values.Add(value);
        }

        public override StoredColumn Merge(IReadOnlyList<StoredColumnBuilder> parts, (int Part, int Index)[] order)
            => new KeyColumn(Column, Gather(parts, order));
    }
}

/// <summary>A text column kept as strings (the cursor's memory may be reused, so values are copied).</summary>
internal sealed class TextColumn : StoredColumn
{
    public TextColumn(DataViewSchema.Column column, string[] values) : base(column) => Values = values;

    public string[] Values { get; }

    public override Delegate MakeGetter(EpochPosition position)
    {
        ValueGetter<ReadOnlyMemory<char>> getter = (ref ReadOnlyMemory<char> dst) => dst = Values[position.CurrentRow].AsMemory();
        return getter;
    }

    internal sealed class Builder(DataViewRowCursor cursor, DataViewSchema.Column column) : ListColumnBuilder<string>(column)
    {
        private readonly ValueGetter<ReadOnlyMemory<char>> _getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);

        public override void Append(DataViewRowId rowId)
        {
            ReadOnlyMemory<char> value = default;
            _getter(ref value);
            Values.Add(value.ToString());
        }

        public override StoredColumn Merge(IReadOnlyList<StoredColumnBuilder> parts, (int Part, int Index)[] order)
            => new TextColumn(Column, Gather(parts, order));
    }
}

/// <summary>Any other vector column, kept as deep copies.</summary>
internal sealed class VBufferColumn<T> : StoredColumn
{
    public VBufferColumn(DataViewSchema.Column column, VBuffer<T>[] values) : base(column) => Values = values;

    public VBuffer<T>[] Values { get; }

    public override Delegate MakeGetter(EpochPosition position)
    {
        ValueGetter<VBuffer<T>> getter = (ref VBuffer<T> dst) => Values[position.CurrentRow].CopyTo(ref dst);
        return getter;
    }

    internal sealed class Builder(DataViewRowCursor cursor, DataViewSchema.Column column) : ListColumnBuilder<VBuffer<T>>(column)
    {
        private readonly ValueGetter<VBuffer<T>> _getter = cursor.GetGetter<VBuffer<T>>(column);

        public override void Append(DataViewRowId rowId)
        {
            VBuffer<T> value = default;
            _getter(ref value);
            VBuffer<T> copy = default;
            value.CopyTo(ref copy);
            Values.Add(copy);
        }

        public override StoredColumn Merge(IReadOnlyList<StoredColumnBuilder> parts, (int Part, int Index)[] order)
            => new VBufferColumn<T>(Column, Gather(parts, order));
    }
}

/// <summary>Any other scalar column (numbers, booleans, keys of other widths).</summary>
internal sealed class ScalarColumn<T> : StoredColumn
{
    public ScalarColumn(DataViewSchema.Column column, T[] values) : base(column) => Values = values;

    public T[] Values { get; }

    public override Delegate MakeGetter(EpochPosition position)
    {
        ValueGetter<T> getter = (ref T dst) => dst = Values[position.CurrentRow];
        return getter;
    }

    internal sealed class Builder(DataViewRowCursor cursor, DataViewSchema.Column column) : ListColumnBuilder<T>(column)
    {
        private readonly ValueGetter<T> _getter = cursor.GetGetter<T>(column);

        public override void Append(DataViewRowId rowId)
        {
            T value = default!;
            _getter(ref value);
            Values.Add(value);
        }

        public override StoredColumn Merge(IReadOnlyList<StoredColumnBuilder> parts, (int Part, int Index)[] order)
            => new ScalarColumn<T>(Column, Gather(parts, order));
    }
}
