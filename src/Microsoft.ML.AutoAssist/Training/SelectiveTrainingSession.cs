using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The training protocol between a selection method (AutoAssist or a peer) and an AutoAssist-aware
/// trainer (the Boss). The trainer opens one session per <c>Fit</c>, then per epoch:
/// <list type="number">
/// <item><see cref="OpenEpoch"/>: a cursor of the kept rows, each with a weight;</item>
/// <item>after each forward pass, <see cref="ReportLosses"/> with the per-row losses (reduction none), keyed by <see cref="DataViewRowId"/>;</item>
/// <item>for methods that choose after the forward pass (<see cref="SelectsAfterForward"/>), <see cref="SelectForBackward(ReadOnlySpan{DataViewRowId}, ReadOnlySpan{float}, Span{float})"/> (with the rows' ids);</item>
/// <item>after each optimizer step, <see cref="ReportProgress"/> with the training progress (phases placed at the end of training start there);</item>
/// </list>
/// and after the last epoch <see cref="Complete"/>. The Assistant learns from the reports on a
/// background worker while the Boss trains; each epoch's decisions are made when it opens, once
/// the Assistant has learned from every earlier report, so a seeded session given the same losses
/// decides the same way on every run (as long as the Assistant's queue drops no feedback:
/// <see cref="EpochStatistics.RowsFeedbackDropped"/> stays 0). <see cref="SaveState"/> and <see cref="LoadState"/> checkpoint the selection
/// between epochs for an exact resume.
/// </summary>
public sealed class SelectiveTrainingSession : IDisposable
{
    private const string StateSignature = "AutoAssist selection state";
    // 2: epoch statistics carry per-class counts. 3: the loss history carries the epoch of each report; statistics the class prior's AUC.
    private const int StateVersion = 3;

    private readonly IChannel? _channel;
    private readonly RowStore _store;
    private readonly LossHistory _losses;
    private readonly IAssistant? _assistant;
    private readonly FeedbackWorker? _worker;
    private readonly int _seed;
    // The class of every cached row (label key, 1-based; 0 = missing) and how many rows each class has; null without a key label.
    private readonly ReadOnlyMemory<uint> _classes;
    private readonly long[]? _rowsPerClass;
    // Rows SelectForBackward dropped in the open epoch, per class; unknown when a call gave no ids.
    private readonly long[]? _notBackpropagatedByClass;
    private bool _backpropagatedByClassUnknown;
    private readonly List<string> _warnings = [];
    private SelectionEpoch? _openEpoch;
    private Random _backwardRandom = new(0);
    private int _nextEpoch;
    private bool _anyEpochOpened;
    private long _rowsReportedInEpoch;
    private long _rowsNotBackpropagatedInEpoch;
    private long _droppedAtEpochStart;
    private bool _disposing;
    private bool _disposed;

    private SelectiveTrainingSession(IHostEnvironment? env, IDataView data, IEnumerable<string> trainerColumns, AutoAssistFilterOptions options,
        int seed, string? warning, CancellationToken cancellation)
    {
        options.Validate();
        Method = options.Selection.Name;
        _seed = seed;
        _channel = env?.Register("AutoAssist").Start("Selective training");
        if (warning is not null)
            Warn(warning);
        FilterSchemaCheck.Check(options, name => FilterSchemaCheck.Describe(data.Schema, name));
        _assistant = options.CreateAssistant();

        // The label, when it is a key, is cached too (an Assistant may cache it anyway), so the epochs' statistics count rows per class.
        string? classColumn = options.LabelColumnName is { } label && IsClassKey(data.Schema.GetColumnOrNull(label)?.Type) ? label : null;
        var columns = trainerColumns.Concat(_assistant?.InputColumnNames ?? []).Concat(classColumn is null ? [] : [classColumn]).Distinct().ToArray();
        foreach (var name in columns)
        {
            if (data.Schema.GetColumnOrNull(name) is null)
                throw new ArgumentOutOfRangeException(nameof(trainerColumns), $"Training column '{name}' was not found in the input schema.");
        }
        _store = RowStore.Load(data, columns, cancellation);
        if (_store.Count == 0)
            throw new InvalidOperationException("The training data has no rows; AutoAssist needs at least one row to train on.");

        if (classColumn is not null)
        {
            _classes = _store.GetKeys(classColumn, out int classCount);
            _rowsPerClass = CountByClass(_classes.Span, classCount, Enumerable.Range(0, _store.Count));
            _notBackpropagatedByClass = new long[classCount];
        }
        _losses = new LossHistory(_store.Count);
        _assistant?.Initialize(new AssistantTrainingRows(_store), seed);
        Policy = options.Selection.CreatePolicy(new SelectionContext(_losses, _assistant, seed, _classes, _rowsPerClass?.Length ?? 0))
            ?? throw new InvalidOperationException($"{options.Selection.GetType().Name}.CreatePolicy returned null.");
        if (_assistant is not null)
            _worker = new FeedbackWorker(Policy, options.FeedbackQueueCapacity);
        _channel?.Info(MessageSensitivity.None, $"{Method} selection over {_store.Count} cached rows ({string.Join(", ", columns)}).");
    }

    /// <summary>
    /// Opens a session on a trainer's training data. The AutoAssist filter's view gives its own
    /// selection method, also when transforms or a cache checkpoint sit between the filter and the
    /// trainer and the Assistant's columns reach the trainer unchanged in type; any other view
    /// trains on every row (uniform) through the same protocol. When the filter is upstream but its
    /// selection cannot run, the session trains uniformly and says so in <see cref="Warnings"/> and the log.
    /// </summary>
    /// <param name="env">The ML.NET environment (an MLContext) for logging; may be null.</param>
    /// <param name="trainingData">The data the trainer's Fit received.</param>
    /// <param name="columnNames">The columns the trainer reads from the epochs.</param>
    /// <param name="seed">Seed of the epoch order and the keep decisions (unless the filter has its own).</param>
    /// <param name="cancellation">Cancels the caching of the rows.</param>
    public static SelectiveTrainingSession Open(IHostEnvironment? env, IDataView trainingData, IEnumerable<string> columnNames, int seed, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(trainingData);
        ArgumentNullException.ThrowIfNull(columnNames);
        var filter = FilterUpstream.Find(trainingData);
        if (filter is null)
            return new SelectiveTrainingSession(env, trainingData, columnNames, Uniform(), seed, null, cancellation);
        var settings = filter.Settings;
        env ??= filter.Environment;
        int filterSeed = settings.Seed ?? seed;
        if (ReferenceEquals(filter, trainingData))
            return new SelectiveTrainingSession(env, filter.Source, columnNames, settings, filterSeed, null, cancellation);
        // Transforms between the filter and the trainer keep the rows and their ids, so the session
        // caches the trainer's view and the Assistant reads its columns there, provided they still are what it needs.
        string? problem = FilterUpstream.DescribeMissingAssistantColumns(settings, trainingData.Schema);
        if (problem is null)
            return new SelectiveTrainingSession(env, trainingData, columnNames, settings, filterSeed, null, cancellation);
        return new SelectiveTrainingSession(env, trainingData, columnNames, Uniform(), seed, FilterUpstream.NotAppliedWarning(problem), cancellation);
    }

    private static AutoAssistFilterOptions Uniform() => new() { Selection = new UniformOptions() };

    /// <summary>The selection method this session runs (<see cref="SelectionMethodOptions.Name"/>).</summary>
    public string Method { get; }

    /// <summary>Number of training rows.</summary>
    public int RowCount => _store.Count;

    /// <summary>The columns the epochs offer (names, types and annotations of the input).</summary>
    public DataViewSchema Schema => _store.Schema;

    /// <summary>True when the method picks rows after the forward pass: call <see cref="SelectForBackward(ReadOnlySpan{DataViewRowId}, ReadOnlySpan{float}, Span{float})"/>.</summary>
    public bool SelectsAfterForward => Policy.SelectsAfterForward;

    /// <summary>
    /// True when the method wants each training batch's weights scaled to average 1 before the loss
    /// is taken (<see cref="AutoAssistOptions.NormalizeWeightsPerBatch"/>): the trainer then divides
    /// the weighted loss sum by the sum of the weights rather than by the row count
    /// (<see cref="NormalizeBatchWeights"/> does it for a batch).
    /// </summary>
    public bool NormalizesWeightsPerBatch => Policy.NormalizesWeightsPerBatch;

    /// <summary>Scales one batch's weights so that they average 1 (nothing when they are all 0).</summary>
    public static void NormalizeBatchWeights(Span<float> weights)
    {
        double sum = 0;
        foreach (float weight in weights)
            sum += weight;
        if (sum <= 0)
            return;
        float scale = (float)(weights.Length / sum);
        foreach (ref float weight in weights)
            weight *= scale;
    }

    /// <summary>Live statistics, one record per completed epoch.</summary>
    public SelectionStatistics Statistics { get; } = new();

    /// <summary>
    /// What the session found wrong but trained through (for example a filter it could not apply, or
    /// an Assistant failure after the last call), also logged at warning level. Trainers copy these
    /// into their training report.
    /// </summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_warnings)
                return _warnings.ToArray();
        }
    }

    internal SelectionPolicy Policy { get; }

    /// <summary>The session's cache of the training columns (benchmarks compare a plain loop over the same memory).</summary>
    internal RowStore Store => _store;

    /// <summary>Index of the epoch <see cref="OpenEpoch"/> opens next.</summary>
    public int NextEpoch => _nextEpoch;

    /// <summary>
    /// Continues at epoch <paramref name="epoch"/> with the epoch order of an uninterrupted run but
    /// fresh selection state. Superseded by <see cref="LoadState"/>, which also restores the state.
    /// </summary>
    internal void ResumeAt(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (_anyEpochOpened)
            throw new InvalidOperationException("ResumeAt must be called before the first epoch is opened.");
        _nextEpoch = epoch;
    }

    /// <summary>
    /// Opens the next epoch (closing the previous one if still open). Waits until the Assistant has
    /// learned from every report so far, then decides the epoch's rows.
    /// </summary>
    /// <param name="progress">The trainer's training progress in [0, 1] at the start of the epoch
    /// (it drives final full-data phases); NaN if unknown.</param>
    /// <param name="cancellation">Stops the epoch: its cursor throws <see cref="OperationCanceledException"/>.</param>
    public SelectionEpoch OpenEpoch(double progress = double.NaN, CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _openEpoch?.Dispose();
        _worker?.WaitForIdle(Timeout.InfiniteTimeSpan);
        int epoch = _nextEpoch;
        Policy.OnEpochStart(epoch, progress);
        var opened = new SelectionEpoch(this, _store, epoch, _seed, cancellation);
        _nextEpoch++;
        _anyEpochOpened = true;
        _backwardRandom = new Random(SelectionEpoch.SeedFor(_seed, epoch, SelectionEpoch.Stream.Backward));
        Interlocked.Exchange(ref _rowsReportedInEpoch, 0);
        _rowsNotBackpropagatedInEpoch = 0;
        if (_notBackpropagatedByClass is not null)
            Array.Clear(_notBackpropagatedByClass);
        _backpropagatedByClassUnknown = false;
        _droppedAtEpochStart = _worker?.DroppedRows ?? 0;
        _openEpoch = opened;
        return opened;
    }

    /// <summary>
    /// Tells the selection the training progress in [0, 1] after an optimizer step (the share of
    /// the step budget, or of the passes, done). When the selection's phase changes here (e.g.
    /// InfoBatch's final full-data phase begins), the open epoch's rows not yet reached are decided
    /// again, so a phase placed at the end of training starts at its step and not only at the next
    /// epoch's start. Cheap when nothing changes; does nothing without an open epoch or with NaN.
    /// </summary>
    public void ReportProgress(double progress)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_openEpoch is null || double.IsNaN(progress) || !Policy.OnProgress(progress))
            return;
        // DecideKeep never overlaps the Assistant's learning (see SelectionPolicy).
        _worker?.WaitForIdle(Timeout.InfiniteTimeSpan);
        _openEpoch.RedecideRemaining();
    }

    /// <summary>
    /// Reports the Boss's per-row losses of one forward pass. Never blocks: the Assistant learns from
    /// them in the background. An id that is not a training row is an error.
    /// </summary>
    public void ReportLosses(ReadOnlySpan<DataViewRowId> rowIds, ReadOnlySpan<float> losses)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (rowIds.Length != losses.Length)
            throw new ArgumentException($"ReportLosses got {rowIds.Length} row ids but {losses.Length} losses.", nameof(losses));
        ThrowIfAssistantFaulted();
        var rows = new int[rowIds.Length];
        for (int i = 0; i < rowIds.Length; i++)
        {
            if (!_store.TryGetIndex(rowIds[i], out rows[i]))
                throw new ArgumentException($"Row id {RowStore.Describe(rowIds[i])} is not a row of this training session; report the ids the epoch cursor gave.", nameof(rowIds));
            if (!float.IsFinite(losses[i]))
                throw new ArgumentException($"The Boss reported a non-finite loss ({losses[i]}) for row id {RowStore.Describe(rowIds[i])}; the Boss may have diverged (lower its learning rate).", nameof(losses));
        }
        // Reports belong to the open epoch; one made between epochs, to the last one opened.
        int epoch = _openEpoch?.Index ?? Math.Max(0, _nextEpoch - 1);
        for (int i = 0; i < rows.Length; i++)
            _losses.Record(rows[i], losses[i], epoch);
        Interlocked.Add(ref _rowsReportedInEpoch, rows.Length);
        _worker?.Post(rows, losses.ToArray());
    }

    /// <summary>
    /// For methods that choose after the forward pass: multiplies <paramref name="weights"/>[i] by 0
    /// for rows not to backpropagate (the epoch's statistics count them). Other methods leave the weights unchanged.
    /// </summary>
    public void SelectForBackward(ReadOnlySpan<float> losses, Span<float> weights) => SelectForBackward([], losses, weights);

    /// <summary>
    /// <see cref="SelectForBackward(ReadOnlySpan{float}, Span{float})"/> with the rows' ids, so that
    /// the epoch's statistics also count the rows backpropagated per class
    /// (<see cref="EpochStatistics.BackpropagatedByClass"/>). Empty ids: not counted per class.
    /// </summary>
    public void SelectForBackward(ReadOnlySpan<DataViewRowId> rowIds, ReadOnlySpan<float> losses, Span<float> weights)
    {
        if (losses.Length != weights.Length)
            throw new ArgumentException($"SelectForBackward got {losses.Length} losses but {weights.Length} weights.", nameof(weights));
        if (!rowIds.IsEmpty && rowIds.Length != weights.Length)
            throw new ArgumentException($"SelectForBackward got {rowIds.Length} row ids but {weights.Length} weights.", nameof(rowIds));
        var before = weights.ToArray();
        Policy.SelectForBackward(losses, weights, _backwardRandom);
        _rowsNotBackpropagatedInEpoch += CountPositive(before) - CountPositive(weights);
        if (_notBackpropagatedByClass is null)
            return;
        if (rowIds.IsEmpty)
        {
            _backpropagatedByClassUnknown = true;
            return;
        }
        var classes = _classes.Span;
        for (int i = 0; i < weights.Length; i++)
        {
            if (before[i] <= 0 || weights[i] > 0 || !_store.TryGetIndex(rowIds[i], out int row))
                continue;
            uint key = classes[row];
            if (key > 0 && key <= _notBackpropagatedByClass.Length)
                _notBackpropagatedByClass[key - 1]++;
        }
    }

    private static int CountPositive(ReadOnlySpan<float> weights)
    {
        int count = 0;
        foreach (var weight in weights)
        {
            if (weight > 0)
                count++;
        }
        return count;
    }

    /// <summary>
    /// Waits until the Assistant has learned from every report so far. Training never needs this
    /// (<see cref="OpenEpoch"/> waits itself); tests and studies use it to look at the Assistant.
    /// </summary>
    public bool WaitForAssistant(TimeSpan timeout) => _worker?.WaitForIdle(timeout) ?? true;

    /// <summary>
    /// Ends training: closes the open epoch, waits until the Assistant has learned from every report
    /// and throws if one of its updates failed, which no other call would surface once the trainer
    /// has made its last one. Trainers call it after their last epoch.
    /// </summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _openEpoch?.Dispose();
        _worker?.WaitForIdle(Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Writes everything the selection carries from epoch to epoch: the next epoch's index, the loss
    /// history, the method's own state, the Assistant's weights and the statistics so far. Call it
    /// between epochs (no epoch open); it first waits for the Assistant to learn from every report.
    /// With the same data, filter settings and seed, a session that calls <see cref="LoadState"/>
    /// then continues exactly as this one would.
    /// </summary>
    /// <exception cref="InvalidOperationException">An epoch is open.</exception>
    /// <exception cref="NotSupportedException">The Assistant cannot save its state (see <see cref="IAssistant.SaveState"/>).</exception>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_openEpoch is not null)
            throw new InvalidOperationException("SaveState must be called between epochs; dispose the open epoch first.");
        _worker?.WaitForIdle(Timeout.InfiniteTimeSpan);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(StateSignature);
        writer.Write(StateVersion);
        writer.Write(Method);
        writer.Write(_store.Count);
        writer.Write(_nextEpoch);
        _losses.Save(writer);
        WriteBlock(writer, Policy.SaveState);
        writer.Write(_assistant is not null);
        if (_assistant is not null)
            WriteBlock(writer, _assistant.SaveState);
        Statistics.Save(writer);
    }

    /// <summary>
    /// Restores what <see cref="SaveState"/> wrote, in a new session on the same data with the same
    /// filter settings and seed, before its first epoch; the next <see cref="OpenEpoch"/> continues
    /// where the saved session stopped. It replaces <c>ResumeAt</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">An epoch was already opened.</exception>
    /// <exception cref="InvalidDataException">The state is not a selection state, or belongs to another method or data set.</exception>
    public void LoadState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_anyEpochOpened)
            throw new InvalidOperationException("LoadState must be called before the session's first epoch.");
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        string signature;
        try
        {
            signature = reader.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            throw new InvalidDataException("The stream does not hold an AutoAssist selection state.", e);
        }
        if (signature != StateSignature)
            throw new InvalidDataException("The stream does not hold an AutoAssist selection state.");
        int version = reader.ReadInt32();
        if (version > StateVersion)
            throw new InvalidDataException($"The selection state was saved in version {version}, newer than this library reads ({StateVersion}).");
        string method = reader.ReadString();
        if (method != Method)
            throw new InvalidDataException($"The selection state was saved by a {method} session; this session runs {Method}.");
        int rows = reader.ReadInt32();
        if (rows != _store.Count)
            throw new InvalidDataException($"The selection state was saved for {rows} training rows; this session has {_store.Count}.");
        int nextEpoch = reader.ReadInt32();
        _losses.Load(reader, withEpochs: version >= 3, lastEpoch: nextEpoch - 1);
        ReadBlock(reader, Policy.LoadState, "the selection method's state");
        bool hasAssistant = reader.ReadBoolean();
        if (hasAssistant != (_assistant is not null))
            throw new InvalidDataException("The selection state and this session disagree on whether there is an Assistant.");
        if (_assistant is not null)
            ReadBlock(reader, _assistant.LoadState, $"the state of {_assistant.GetType().Name}");
        Statistics.Load(reader, version);
        _nextEpoch = nextEpoch;
    }

    private static void WriteBlock(BinaryWriter writer, Action<BinaryWriter> write)
    {
        using var block = new MemoryStream();
        using (var blockWriter = new BinaryWriter(block, Encoding.UTF8, leaveOpen: true))
            write(blockWriter);
        writer.Write(block.Length);
        writer.Write(block.GetBuffer(), 0, (int)block.Length);
    }

    private static void ReadBlock(BinaryReader reader, Action<BinaryReader> read, string what)
    {
        long length = reader.ReadInt64();
        var bytes = reader.ReadBytes(checked((int)length));
        if (bytes.Length != length)
            throw new InvalidDataException($"The selection state is cut short in {what}.");
        using var blockReader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        read(blockReader);
        if (blockReader.BaseStream.Position != length)
            throw new InvalidDataException($"Reading {what} did not consume what was saved; its LoadState does not match its SaveState.");
    }

    internal void ThrowIfAssistantFaulted() => _worker?.ThrowIfFaulted();

    internal void CompleteEpoch(SelectionEpoch epoch, int rowsConsidered, int rowsKept)
    {
        // A session closing with its epoch open records nothing more, and must not wait for a stuck Assistant.
        if (_disposing)
            return;
        // The epoch's last reports count in its statistics, so wait for the Assistant to take them.
        _worker?.WaitForIdleQuietly(Timeout.InfiniteTimeSpan);
        var statistics = new EpochStatistics
        {
            Epoch = epoch.Index,
            Method = Method,
            RowsConsidered = rowsConsidered,
            RowsKept = rowsKept,
            RowsBackpropagated = rowsKept - _rowsNotBackpropagatedInEpoch,
            RowsReported = Interlocked.Read(ref _rowsReportedInEpoch),
            RowsFeedbackDropped = (_worker?.DroppedRows ?? 0) - _droppedAtEpochStart,
            ConsideredByClass = _rowsPerClass,
            KeptByClass = _rowsPerClass is null ? null : CountByClass(_classes.Span, _rowsPerClass.Length, epoch.KeptRows()),
        };
        if (statistics.KeptByClass is { } kept && !_backpropagatedByClassUnknown)
            statistics.BackpropagatedByClass = kept.Select((count, c) => count - _notBackpropagatedByClass![c]).ToArray();
        Policy.Describe(statistics);
        Statistics.Add(statistics);
        _channel?.Info(MessageSensitivity.None, statistics.ToString());
    }

    // Up to a million classes: a per-class count is one long per class per epoch.
    private static bool IsClassKey(DataViewType? type) => type is KeyDataViewType key && key.RawType == typeof(uint) && key.Count <= 1 << 20;

    /// <summary>Rows per class (index = key − 1) among <paramref name="rows"/>; rows with a missing label count in none.</summary>
    private static long[] CountByClass(ReadOnlySpan<uint> classes, int classCount, IEnumerable<int> rows)
    {
        var counts = new long[classCount];
        foreach (int row in rows)
        {
            uint key = classes[row];
            if (key > 0 && key <= classCount)
                counts[key - 1]++;
        }
        return counts;
    }

    internal void OnEpochClosed(SelectionEpoch epoch)
    {
        if (ReferenceEquals(_openEpoch, epoch))
            _openEpoch = null;
    }

    private void Warn(string message)
    {
        lock (_warnings)
            _warnings.Add(message);
        _channel?.Warning(MessageSensitivity.None, message);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposing = true;
        _openEpoch?.Dispose();
        if (_worker is not null)
        {
            _worker.Dispose();
            if (_worker.Fault is { } fault && !_worker.FaultReported)
                Warn($"The Assistant failed after the trainer's last call, so its last updates were lost: {fault.Message}. " +
                     "The trainer did not call SelectiveTrainingSession.Complete, which would have thrown it.");
        }
        _channel?.Dispose();
        _disposed = true;
    }
}
