namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The yardstick an Assistant has to beat: each class's running rate of hard rows (an EMA over the
/// feedback), used as every row's score. If the Assistant's AUC is no better than this one's, it
/// has learned which classes are hard and nothing about the rows.
/// </summary>
internal sealed class ClassPrior
{
    // Per row: about the last thousand rows of a class carry its rate.
    private const float Momentum = 0.999f;
    private readonly ReadOnlyMemory<uint> _classes;
    private readonly float[] _rate;
    private readonly bool[] _seen;

    public ClassPrior(ReadOnlyMemory<uint> classes, int classCount)
    {
        _classes = classes;
        _rate = new float[classCount + 1];
        _seen = new bool[classCount + 1];
    }

    /// <summary>True when the rows have classes (a key label); otherwise the prior scores nothing.</summary>
    public bool HasClasses => !_classes.IsEmpty;

    /// <summary>Writes each row's score (its class's rate so far), then learns from the rows' targets.</summary>
    public void ScoreThenUpdate(ReadOnlySpan<int> rows, ReadOnlySpan<float> targets, Span<float> scoresBefore)
    {
        var classes = _classes.Span;
        for (int i = 0; i < rows.Length; i++)
            scoresBefore[i] = _rate[classes[rows[i]]];
        for (int i = 0; i < rows.Length; i++)
        {
            uint c = classes[rows[i]];
            _rate[c] = _seen[c] ? Momentum * _rate[c] + (1 - Momentum) * targets[i] : targets[i];
            _seen[c] = true;
        }
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(_rate.Length);
        for (int c = 0; c < _rate.Length; c++)
        {
            writer.Write(_rate[c]);
            writer.Write(_seen[c]);
        }
    }

    public void Load(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length != _rate.Length)
            throw new InvalidDataException($"The saved class prior holds {length - 1} classes, this session {_rate.Length - 1}.");
        for (int c = 0; c < length; c++)
        {
            _rate[c] = reader.ReadSingle();
            _seen[c] = reader.ReadBoolean();
        }
    }
}
