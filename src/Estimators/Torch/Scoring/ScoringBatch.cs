using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Rows to score in plain arrays: filled one row at a time from a cursor or row, forwarded together
/// by <see cref="Score"/>, then read back by the output getters at <see cref="Current"/>. Each Boss
/// defines its inputs, its forward pass and its output columns.
/// </summary>
internal abstract class ScoringBatch
{
    protected ScoringBatch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Rows appended since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>The slot the output getters read.</summary>
    public int Current { get; set; }

    /// <summary>Binds the input getters of the row (or cursor) that <see cref="Append"/> reads.</summary>
    public abstract void Bind(DataViewRow row);

    /// <summary>Copies the bound row's current inputs into the next slot.</summary>
    public void Append()
    {
        if (IsFull)
            throw new InvalidOperationException("The scoring batch is full.");
        ReadInputs(Count);
        Count++;
    }

    public void Clear() => Count = 0;

    /// <summary>Runs the network once on the first <see cref="Count"/> rows and keeps every output.</summary>
    public abstract void Score();

    /// <summary>A getter of an output column at <see cref="Current"/>, typed as the caller asks.</summary>
    /// <param name="output">Which output (0 = the first appended column).</param>
    /// <param name="column">The column in the output schema, for the message when the type is wrong.</param>
    public ValueGetter<TValue> GetOutputGetter<TValue>(int output, DataViewSchema.Column column)
        => CreateOutputGetter(output) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");

    /// <summary>A getter (a <c>ValueGetter</c> of the column's type) of output <paramref name="output"/> (0 = the first appended column) at <see cref="Current"/>.</summary>
    protected abstract Delegate CreateOutputGetter(int output);

    protected abstract void ReadInputs(int slot);
}
