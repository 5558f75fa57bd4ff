namespace Microsoft.ML.AutoAssist;

/// <summary>Live statistics of a training session: one record per completed epoch.</summary>
public sealed class SelectionStatistics
{
    private readonly List<EpochStatistics> _epochs = new();
    private readonly object _gate = new();

    /// <summary>The completed epochs, oldest first (a copy).</summary>
    public IReadOnlyList<EpochStatistics> Epochs
    {
        get
        {
            lock (_gate)
                return _epochs.ToArray();
        }
    }

    /// <summary>The latest completed epoch, or null before the first one ends.</summary>
    public EpochStatistics? Last
    {
        get
        {
            lock (_gate)
                return _epochs.Count == 0 ? null : _epochs[^1];
        }
    }

    internal void Add(EpochStatistics epoch)
    {
        lock (_gate)
            _epochs.Add(epoch);
    }

    internal void Save(BinaryWriter writer)
    {
        var epochs = Epochs;
        writer.Write(epochs.Count);
        foreach (var epoch in epochs)
            epoch.Save(writer);
    }

    /// <param name="reader">What <see cref="Save"/> wrote.</param>
    /// <param name="stateVersion">The session state's version (2 added per-class counts).</param>
    internal void Load(BinaryReader reader, int stateVersion)
    {
        int count = reader.ReadInt32();
        var epochs = new EpochStatistics[count];
        for (int i = 0; i < count; i++)
            epochs[i] = EpochStatistics.Load(reader, stateVersion);
        lock (_gate)
        {
            _epochs.Clear();
            _epochs.AddRange(epochs);
        }
    }
}
