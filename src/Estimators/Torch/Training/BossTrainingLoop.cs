using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The one training loop every Boss shares: epochs of the selection session's kept rows, batches,
/// per-row losses reported back to the selection (keyed by row id), selection after the forward pass
/// for the methods that need it, a learning-rate schedule over training progress (so it stays right
/// when epochs change length), validation, checkpoints with exact resume, progress and cancellation,
/// and honest accounting of rows forwarded, rows backpropagated and time. What one optimizer step
/// does is the <see cref="IBossStep"/>'s business.
/// </summary>
internal sealed class BossTrainingLoop
{
    private readonly IHostEnvironment _env;
    private readonly BossTrainerOptions _options;
    private readonly IBossModel _boss;
    private readonly IBossStep _step;
    private readonly int _seed;
    private readonly Func<double>? _evaluate;
    private readonly Func<SelectiveTrainingSession, Dictionary<string, string>> _fingerprint;
    private readonly Stopwatch _trainingClock = new();
    private readonly Stopwatch _evaluationClock = new();
    private TimeSpan _trainingOffset;
    private TimeSpan _evaluationOffset;
    private SelectiveTrainingSession? _session;
    private IChannel? _channel;
    private TrainingReport? _report;
    private TrainingProgress? _pendingProgress;
    private double _lossAverage = double.NaN;
    private double _learningRate;
    private double _progress;
    private double _lastMetric = double.NaN;
    private int _epoch;

    /// <param name="env">The ML.NET environment, for logging.</param>
    /// <param name="options">The trainer's shared settings (the trainer's validated copy).</param>
    /// <param name="boss">The model being trained (already on its device, initialised).</param>
    /// <param name="step">What one optimizer step does, over the Boss's modules and optimizers.</param>
    /// <param name="seed">Seed of the epoch order and the selection's decisions.</param>
    /// <param name="evaluate">Computes the validation metric, or null when there is no validation set.</param>
    /// <param name="fingerprint">
    /// What identifies this run's training data and settings (see <see cref="TrainingFingerprint"/>);
    /// computed only when checkpointing, and compared on resume.
    /// </param>
    public BossTrainingLoop(IHostEnvironment env, BossTrainerOptions options, IBossModel boss, IBossStep step, int seed, Func<double>? evaluate,
        Func<SelectiveTrainingSession, Dictionary<string, string>> fingerprint)
    {
        _env = env;
        _options = options;
        _boss = boss;
        _step = step;
        _seed = seed;
        _evaluate = evaluate;
        _fingerprint = fingerprint;
    }

    private TimeSpan TrainingTime => _trainingOffset + _trainingClock.Elapsed;

    private TimeSpan EvaluationTime => _evaluationOffset + _evaluationClock.Elapsed;

    private bool StepBudget => _options.MaxSteps.HasValue;

    public TrainingReport Run(IDataView trainingData)
    {
        var cancellation = _options.CancellationToken;
        using var channel = _env.Register("AutoAssistBoss").Start("Training");
        _channel = channel;
        using var session = SelectiveTrainingSession.Open(_env, trainingData, _boss.InputColumns, _seed, cancellation);
        _session = session;
        var report = _report = new TrainingReport { Method = session.Method, RowCount = session.RowCount };
        var scheduler = new LearningRateScheduler(_options.LearningRate, _options.LearningRateSchedule, _options.WarmupFraction,
            _options.MinLearningRate, _options.StepDecayMilestones, _options.StepDecayGamma);

        long maxSteps = _options.MaxSteps ?? long.MaxValue;
        int epochs = StepBudget ? int.MaxValue : _options.Epochs;
        var fingerprint = _options.CheckpointFolder is null ? null : _fingerprint(session);
        int startEpoch = Resume(session, fingerprint);

        var batch = _boss.CreateBatch(_options.BatchSize);
        var pool = session.SelectsAfterForward ? _boss.CreateBatch(_options.BatchSize) : null;
        channel.Info(MessageSensitivity.None, $"Training on {session.RowCount} rows with {session.Method} selection, " +
            (StepBudget ? $"{maxSteps} steps" : $"{epochs} epochs") + $" of batch {_options.BatchSize}.");

        for (_epoch = startEpoch; _epoch < epochs && report.Steps < maxSteps; _epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            _trainingClock.Start();
            double ProgressAt(double fraction) => StepBudget ? (double)report.Steps / maxSteps : (_epoch + fraction) / epochs;
            using (var epoch = session.OpenEpoch(ProgressAt(0), cancellation))
            {
                batch.Bind(epoch);
                batch.Clear();
                while (report.Steps < maxSteps && epoch.MoveNext())
                {
                    // A report held back after the last step goes out now that the epoch has more rows.
                    SendPendingProgress();
                    batch.AppendCurrent(epoch);
                    if (batch.IsFull)
                    {
                        _progress = ProgressAt(epoch.FractionConsidered);
                        Process(batch, pool, scheduler);
                        batch.Clear();
                        // A phase placed at the end of training (InfoBatch's full data) starts at its step, mid-epoch if need be.
                        session.ReportProgress(ProgressAt(epoch.FractionConsidered));
                    }
                }
                if (batch.Count > 0 && report.Steps < maxSteps)
                {
                    SendPendingProgress(); // a partial batch follows the held report's step
                    _progress = ProgressAt(1);
                    Process(batch, pool, scheduler);
                }
                // Rows chosen after the forward pass that did not fill a batch are trained at the epoch's end,
                // so that an epoch's work ends with it and a checkpoint holds no half-filled pool.
                if (pool is { Count: > 0 } && report.Steps < maxSteps)
                {
                    TrainStep(pool, scheduler, reportLosses: false);
                    pool.Clear();
                }
                // Every loss of the epoch reaches the selection before the epoch closes.
                DrainStep();
            }
            _trainingClock.Stop();
            // The end-of-epoch report below stands for a report due at the epoch's last step.
            _pendingProgress = null;
            report.Epochs = _epoch + 1;
            if (_options.EvaluateAtEpochEnd)
                Evaluate();
            // A selection that backpropagates nothing for a whole pass (e.g. Selective Backprop with no
            // floor on losses that are all equal) would never use up a step budget.
            if (StepBudget && report.Steps < maxSteps && session.Statistics.Last is { RowsBackpropagated: 0 } idle && idle.Epoch == _epoch)
                throw new InvalidOperationException($"The {session.Method} selection backpropagated no row in epoch {_epoch}, so the step budget would never be spent; give the method a floor above 0.");
            if (_options.CheckpointFolder is not null)
                SaveCheckpoint(_options.CheckpointFolder, _epoch + 1, fingerprint!);
            SendProgress(Snapshot(endOfEpoch: true));
        }

        // Without epoch-end evaluations the final step is still measured (once: not again if the interval fell on it).
        if (!_options.EvaluateAtEpochEnd)
            Evaluate();
        session.Complete();
        // The session's warnings (e.g. a filter hidden behind a transform) belong in the report; the session logged them.
        report.AddWarnings(session.Warnings);
        report.TrainingTime = TrainingTime;
        report.EvaluationTime = EvaluationTime;
        report.SelectionEpochs = session.Statistics.Epochs;
        return report;
    }

    /// <summary>One batch of kept rows: a training step, or for methods that select after the forward pass, scoring then pooling.</summary>
    private void Process(RowBatch batch, RowBatch? pool, LearningRateScheduler scheduler)
    {
        var session = _session!;
        if (pool is null)
        {
            TrainStep(batch, scheduler, reportLosses: true);
            return;
        }

        DrainStep(); // scoring needs the weights of every step so far
        float[] losses = _step.Losses(batch);
        _report!.RowsForwarded += batch.Count;
        session.ReportLosses(batch.Ids.AsSpan(0, batch.Count), losses);
        var keep = batch.Weights.AsSpan(0, batch.Count).ToArray();
        session.SelectForBackward(batch.Ids.AsSpan(0, batch.Count), losses, keep);
        for (int i = 0; i < batch.Count; i++)
        {
            if (keep[i] <= 0)
                continue;
            pool.AppendFrom(batch, i);
            if (pool.IsFull)
            {
                TrainStep(pool, scheduler, reportLosses: false);
                pool.Clear();
            }
        }
    }

    private void TrainStep(RowBatch batch, LearningRateScheduler scheduler, bool reportLosses)
    {
        var report = _report!;
        _learningRate = scheduler.LearningRateAt(ScheduleProgress());
        // Every step divides its weighted loss sum by the row count, so weights averaging 1 make it a weighted mean.
        if (_session!.NormalizesWeightsPerBatch)
            SelectiveTrainingSession.NormalizeBatchWeights(batch.Weights.AsSpan(0, batch.Count));
        if (_step is ILaggingBossStep lagging)
        {
            foreach (var finished in lagging.Submit(batch, _learningRate, reportLosses))
                Accept(finished.Result, finished.RowIds);
        }
        else
        {
            Accept(_step.Train(batch, _learningRate, reportLosses), batch.Ids.AsSpan(0, batch.Count));
        }
        report.Steps++;
        report.RowsForwarded += batch.Count;
        report.RowsBackpropagated += batch.Count;

        bool evaluate = _options.EvaluationIntervalSteps is long evaluationInterval && report.Steps % evaluationInterval == 0;
        bool progress = _options.ProgressIntervalSteps is long progressInterval && report.Steps % progressInterval == 0;
        if (evaluate)
        {
            DrainStep(); // measure the model of every step so far
            _trainingClock.Stop();
            Evaluate();
            _trainingClock.Start();
        }
        if (evaluate || progress)
        {
            // Held until the loop knows this was not the epoch's last step: the end-of-epoch report then replaces it.
            SendPendingProgress();
            _pendingProgress = Snapshot(endOfEpoch: false);
        }
        _options.CancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Takes one finished step's results: its loss, and its rows' losses for the selection.</summary>
    private void Accept(BossStepResult result, ReadOnlySpan<DataViewRowId> rowIds)
    {
        if (!float.IsFinite(result.Loss))
            throw new InvalidOperationException($"The training loss became {result.Loss} at step {_report!.Steps}; lower the learning rate ({_learningRate:G3}).");
        if (result.RowLosses is not null)
            _session!.ReportLosses(rowIds, result.RowLosses);
        _lossAverage = double.IsNaN(_lossAverage) ? result.Loss : 0.98 * _lossAverage + 0.02 * result.Loss;
    }

    /// <summary>Waits for the steps a lagging step still has in flight and takes their results; nothing for other steps.</summary>
    private void DrainStep()
    {
        if (_step is ILaggingBossStep lagging)
        {
            foreach (var finished in lagging.Drain())
                Accept(finished.Result, finished.RowIds);
        }
    }

    /// <summary>
    /// The schedule's position for the step about to run. Under a step budget, step k of N (0-based)
    /// runs at k / (N − 1), so every method's last step runs at the schedule's end value (e.g. the
    /// cosine's MinLearningRate), whatever it kept or pooled; under an epoch budget, the share of the
    /// passes done, whose last batch is at 1.
    /// </summary>
    private double ScheduleProgress()
        => StepBudget ? (double)_report!.Steps / Math.Max(1, _options.MaxSteps!.Value - 1) : _progress;

    private void SendPendingProgress()
    {
        if (_pendingProgress is { } progress)
        {
            _pendingProgress = null;
            SendProgress(progress);
        }
    }

    private void SendProgress(TrainingProgress progress)
    {
        _channel!.Info(MessageSensitivity.None, progress.ToString());
        _options.Progress?.Report(progress);
    }

    private void Evaluate()
    {
        var report = _report!;
        // One measurement per step: the last step can be both an interval step and an epoch's (or training's) end.
        if (_evaluate is null || (report.Evaluations.Count > 0 && report.Evaluations[^1].Step == report.Steps))
            return;
        _evaluationClock.Start();
        try
        {
            _lastMetric = _evaluate();
        }
        finally
        {
            _evaluationClock.Stop();
        }
        report.Evaluations.Add(new EvaluationPoint(TrainingTime, report.Steps, _epoch, report.RowsForwarded, report.RowsBackpropagated, _lastMetric));
    }

    private TrainingProgress Snapshot(bool endOfEpoch)
    {
        var report = _report!;
        var elapsed = TrainingTime;
        // Progress is the schedule's position: the share of the step budget, or of the epochs, done.
        double done = StepBudget ? (double)report.Steps / _options.MaxSteps!.Value
            : endOfEpoch ? (double)(_epoch + 1) / _options.Epochs
            : _progress;
        TimeSpan? remaining = done > 0 ? elapsed * ((1 - Math.Min(done, 1)) / done) : null;
        return new TrainingProgress
        {
            Epoch = _epoch,
            Step = report.Steps,
            Progress = done,
            EndOfEpoch = endOfEpoch,
            Loss = _lossAverage,
            LearningRate = _learningRate,
            KeptFraction = _session!.Statistics.Last?.KeptFraction ?? double.NaN,
            RowsForwarded = report.RowsForwarded,
            RowsBackpropagated = report.RowsBackpropagated,
            RowsPerSecond = report.RowsBackpropagated / Math.Max(1e-9, elapsed.TotalSeconds),
            Elapsed = elapsed,
            EstimatedTimeRemaining = remaining,
            EvaluationTime = EvaluationTime,
            ValidationMetric = _lastMetric,
        };
    }

    /// <summary>The checkpoint entry holding the selection's state (Assistant, loss history, policy, statistics).</summary>
    private const string SelectionEntryName = "selection";

    /// <summary>What a checkpoint holds: the step's modules and optimizers and, unless it is an earlier version's, the selection's state.</summary>
    private CheckpointContent CheckpointContent(bool withSelection = true)
    {
        var content = new CheckpointContent();
        if (withSelection)
            content.Entries[SelectionEntryName] = new CheckpointEntry(_session!.SaveState, _session!.LoadState);
        foreach (var (name, module) in _step.Modules)
            content.Modules.Add(name, module);
        foreach (var (name, optimizer) in _step.Optimizers)
            content.Optimizers.Add(name, optimizer);
        return content;
    }

    private void SaveCheckpoint(string folder, int epochsDone, Dictionary<string, string> fingerprint)
    {
        var report = _report!;
        var state = new TrainingLoopState
        {
            Epoch = epochsDone,
            Step = report.Steps,
            Progress = _progress,
            RandomStates = _boss.GetRandomStates(),
            Fingerprint = fingerprint,
            Values = new JsonObject
            {
                ["rowsForwarded"] = report.RowsForwarded,
                ["rowsBackpropagated"] = report.RowsBackpropagated,
                ["trainingTicks"] = TrainingTime.Ticks,
                ["evaluationTicks"] = EvaluationTime.Ticks,
                ["lossAverage"] = double.IsNaN(_lossAverage) ? null : _lossAverage,
                ["method"] = report.Method,
            },
        };
        TrainingCheckpoint.Save(folder, CheckpointContent(), state);
    }

    /// <summary>Continues from the checkpoint folder's last checkpoint, if there is one; returns the first epoch to run.</summary>
    private int Resume(SelectiveTrainingSession session, Dictionary<string, string>? fingerprint)
    {
        var folder = _options.CheckpointFolder;
        // The state first: a checkpoint of other data or settings is refused before its weights are read.
        if (folder is null || !TrainingCheckpoint.TryReadState(folder, out var state))
            return 0;
        var report = _report!;
        var values = state.Values;
        var method = values["method"]?.GetValue<string>();
        if (method is not null && method != report.Method)
            throw new InvalidOperationException($"The checkpoint in '{folder}' was written by a {method} run, but this run uses {report.Method}. " +
                StartFreshAdvice);
        if (state.Fingerprint is null)
            AddWarning($"The checkpoint in '{folder}' was written by an earlier version, without a fingerprint of its data and settings; resumed without checking that they match.");
        else if (TrainingFingerprint.Differences(state.Fingerprint!, fingerprint!) is { Count: > 0 } differences)
            throw new InvalidOperationException($"The checkpoint in '{folder}' was written for other training data or settings ({string.Join("; ", differences)}). " +
                StartFreshAdvice);
        // Checkpoints of earlier versions hold no selection state: the selection then learns again from the next epoch.
        bool withSelection = TrainingCheckpoint.EntryNames(folder).Contains(SelectionEntryName);
        if (!withSelection)
            AddWarning($"The checkpoint in '{folder}' holds no selection state (an earlier version); the selection learns again from epoch {state.Epoch}.");
        state = TrainingCheckpoint.Load(folder, CheckpointContent(withSelection));
        report.Steps = state.Step;
        report.RowsForwarded = values["rowsForwarded"]!.GetValue<long>();
        report.RowsBackpropagated = values["rowsBackpropagated"]!.GetValue<long>();
        _trainingOffset = TimeSpan.FromTicks(values["trainingTicks"]!.GetValue<long>());
        _evaluationOffset = TimeSpan.FromTicks(values["evaluationTicks"]!.GetValue<long>());
        _lossAverage = values["lossAverage"]?.GetValue<double>() ?? double.NaN;
        _progress = state.Progress;
        _boss.SetRandomStates(state.RandomStates);
        report.Resumed = true;
        report.Epochs = state.Epoch;
        if (!withSelection)
            session.ResumeAt(state.Epoch);
        _channel!.Info(MessageSensitivity.None, $"Resumed from the checkpoint in '{folder}' after epoch {state.Epoch}, step {state.Step}.");
        return state.Epoch;
    }

    private const string StartFreshAdvice = "To start fresh, delete the folder or choose another CheckpointFolder.";

    private void AddWarning(string warning)
    {
        _report!.AddWarning(warning);
        _channel!.Warning(MessageSensitivity.None, warning);
    }
}
