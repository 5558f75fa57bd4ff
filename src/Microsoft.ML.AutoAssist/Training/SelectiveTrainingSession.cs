using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The training protocol between a selection method (AutoAssist or a peer) and an AutoAssist-aware
/// trainer (the Boss). The trainer opens one session per <c>Fit</c>, then per epoch:
/// <list type="number">
/// <item><see cref="OpenEpoch"/>: a cursor of the kept rows, each with a weight, prefetched on a background thread (an epoch that keeps every row without deciding walks its order on the trainer's thread);</item>
/// <item>after each forward pass, <see cref="ReportLosses"/> with the per-row losses (reduction none), keyed by <see cref="DataViewRowId"/>;</item>
/// <item>for methods that choose after the forward pass (<see cref="SelectsAfterForward"/>), <see cref="SelectForBackward"/>.</item>
/// </list>
/// The Assistant learns from the reports on a background worker and scores with an immutable
/// snapshot of its weights: nothing the trainer calls waits for the Assistant.
/// </summary>
public sealed class SelectiveTrainingSession : IDisposable
{
    private readonly IChannel? _channel;
    private readonly RowStore _store;
    private readonly KeptBlockPool _blocks;
    private readonly LossHistory _losses;
    private readonly FeedbackWorker? _worker;
    private readonly AutoAssistFilterOptions _options;
    private readonly int _seed;
    private readonly Random _backwardRandom;
    private SelectionEpoch? _openEpoch;
    private int _nextEpoch;
    private long _rowsReportedInEpoch;
    private long _droppedAtEpochStart;
    private bool _disposed;

    private SelectiveTrainingSession(IHostEnvironment? env, IDataView data, IEnumerable<string> trainerColumns, AutoAssistFilterOptions options, int seed, CancellationToken cancellation)
    {
        options.Validate();
        _options = options;
        _seed = seed;
        _channel = env?.Register("AutoAssist").Start("Selective training");
        var assistant = options.CreateAssistant();

        var columns = trainerColumns.Concat(assistant?.InputColumnNames ?? []).Distinct().ToArray();
        foreach (var name in columns)
        {
            if (data.Schema.GetColumnOrNull(name) is null)
                throw new ArgumentOutOfRangeException(nameof(trainerColumns), $"Training column '{name}' was not found in the input schema.");
        }
        _store = RowStore.Load(data, columns, cancellation);
        if (_store.Count == 0)
            throw new InvalidOperationException("The training data has no rows; AutoAssist needs at least one row to train on.");

        _losses = new LossHistory(_store.Count);
        _blocks = new KeptBlockPool(_options.PrefetchBlockSize, _store);
        assistant?.Initialize(new AssistantTrainingRows(_store), seed);
        Policy = options.CreatePolicy(_losses, assistant);
        if (assistant is not null)
            _worker = new FeedbackWorker(Policy, options.FeedbackQueueCapacity);
        _backwardRandom = new Random(unchecked(seed * 31 + 17));
        _channel?.Info(MessageSensitivity.None, $"{Method} selection over {_store.Count} cached rows ({string.Join(", ", columns)}).");
    }

    /// <summary>
    /// Opens a session on a trainer's training data: the AutoAssist filter's view gives its own
    /// selection method; any other view trains on every row (uniform) through the same protocol.
    /// </summary>
    /// <param name="env">The ML.NET environment (an MLContext) for logging; may be null.</param>
    /// <param name="trainingData">The data the trainer's Fit received.</param>
    /// <param name="columnNames">The columns the trainer reads from the epochs.</param>
    /// <param name="seed">Seed of the epoch order and the keep decisions.</param>
    /// <param name="cancellation">Cancels the caching of the rows.</param>
    public static SelectiveTrainingSession Open(IHostEnvironment? env, IDataView trainingData, IEnumerable<string> columnNames, int seed, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(trainingData);
        ArgumentNullException.ThrowIfNull(columnNames);
        if (trainingData is AutoAssistDataView view)
            return new SelectiveTrainingSession(env ?? view.Environment, view.Source, columnNames, view.Settings, view.Settings.Seed ?? seed, cancellation);
        return new SelectiveTrainingSession(env, trainingData, columnNames, new AutoAssistFilterOptions { Method = SelectionMethod.Uniform }, seed, cancellation);
    }

    internal static SelectiveTrainingSession Create(IHostEnvironment? env, IDataView data, IEnumerable<string> columnNames, AutoAssistFilterOptions options, int seed, CancellationToken cancellation = default)
        => new(env, data, columnNames, options, seed, cancellation);

    /// <summary>The selection method this session runs.</summary>
    public SelectionMethod Method => Policy.Method;

    /// <summary>Number of training rows.</summary>
    public int RowCount => _store.Count;

    /// <summary>The columns the epochs offer (names, types and annotations of the input).</summary>
    public DataViewSchema Schema => _store.Schema;

    /// <summary>True when the method picks rows after the forward pass: call <see cref="SelectForBackward"/>.</summary>
    public bool SelectsAfterForward => Policy.SelectsAfterForward;

    /// <summary>Live statistics, one record per completed epoch.</summary>
    public SelectionStatistics Statistics { get; } = new();

    internal SelectionPolicy Policy { get; }

    /// <summary>The session's cache of the training columns (benchmarks compare a plain loop over the same memory).</summary>
    internal RowStore Store => _store;

    /// <summary>Index of the epoch <see cref="OpenEpoch"/> opens next.</summary>
    public int NextEpoch => _nextEpoch;

    /// <summary>
    /// Continues at epoch <paramref name="epoch"/> when a trainer resumes from a checkpoint, so the
    /// epochs get the order (and, for stateless methods, the decisions) of an uninterrupted run.
    /// The Assistant's and the loss history's state are not checkpointed: they learn again.
    /// </summary>
    public void ResumeAt(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (_openEpoch is not null || _nextEpoch != 0)
            throw new InvalidOperationException("ResumeAt must be called before the first epoch is opened.");
        _nextEpoch = epoch;
    }

    /// <summary>
    /// Opens the next epoch (closing the previous one if still open).
    /// </summary>
    /// <param name="progress">The trainer's training progress in [0, 1] at the start of the epoch
    /// (it drives final full-data phases); NaN if unknown.</param>
    /// <param name="cancellation">Stops the epoch: its cursor throws <see cref="OperationCanceledException"/>.</param>
    public SelectionEpoch OpenEpoch(double progress = double.NaN, CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfAssistantFaulted();
        _openEpoch?.Dispose();
        int epoch = _nextEpoch++;
        Policy.OnEpochStart(epoch, progress);
        Interlocked.Exchange(ref _rowsReportedInEpoch, 0);
        _droppedAtEpochStart = _worker?.DroppedRows ?? 0;
        _openEpoch = new SelectionEpoch(this, _store, _blocks, epoch, _seed, _options.PrefetchBlockSize, _options.PrefetchBlocks, cancellation);
        return _openEpoch;
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
        // The Assistant's worker keeps the batch it is posted, so only then is it copied to the heap.
        int[]? posted = _worker is null ? null : new int[rowIds.Length];
        Span<int> rows = posted ?? (rowIds.Length <= 1024 ? stackalloc int[rowIds.Length] : new int[rowIds.Length]);
        for (int i = 0; i < rowIds.Length; i++)
        {
            if (!_store.TryGetIndex(rowIds[i], out rows[i]))
                throw new ArgumentException($"Row id {RowStore.Describe(rowIds[i])} is not a row of this training session; report the ids the epoch cursor gave.", nameof(rowIds));
            if (!float.IsFinite(losses[i]))
                throw new ArgumentException($"The Boss reported a non-finite loss ({losses[i]}) for row id {RowStore.Describe(rowIds[i])}; the Boss may have diverged (lower its learning rate).", nameof(losses));
        }
        if (Policy.ReadsLastLosses)
        {
            for (int i = 0; i < rows.Length; i++)
                _losses.Record(rows[i], losses[i]);
        }
        Interlocked.Add(ref _rowsReportedInEpoch, rows.Length);
        if (posted is not null)
            _worker!.Post(posted, losses.ToArray());
    }

    /// <summary>
    /// For methods that choose after the forward pass: multiplies <paramref name="weights"/>[i] by 0
    /// for rows not to backpropagate. Other methods leave the weights unchanged.
    /// </summary>
    public void SelectForBackward(ReadOnlySpan<float> losses, Span<float> weights)
    {
        if (losses.Length != weights.Length)
            throw new ArgumentException($"SelectForBackward got {losses.Length} losses but {weights.Length} weights.", nameof(weights));
        Policy.SelectForBackward(losses, weights, _backwardRandom);
    }

    /// <summary>
    /// Waits until the Assistant has learned from every report so far. Training never needs this;
    /// it makes decisions reproducible (same seed, same reports, same decisions) in tests and studies.
    /// </summary>
    public bool WaitForAssistant(TimeSpan timeout) => _worker?.WaitForIdle(timeout) ?? true;

    internal void ThrowIfAssistantFaulted() => _worker?.ThrowIfFaulted();

    internal void CompleteEpoch(EpochStatistics statistics)
    {
        statistics.RowsReported = Interlocked.Read(ref _rowsReportedInEpoch);
        statistics.RowsFeedbackDropped = (_worker?.DroppedRows ?? 0) - _droppedAtEpochStart;
        Policy.Describe(statistics);
        Statistics.Add(statistics);
        _channel?.Info(MessageSensitivity.None, statistics.ToString());
    }

    internal void OnEpochClosed(SelectionEpoch epoch)
    {
        if (ReferenceEquals(_openEpoch, epoch))
            _openEpoch = null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
            return;
        _openEpoch?.Dispose();
        _worker?.Dispose();
        _channel?.Dispose();
        _disposed = true;
    }
}
