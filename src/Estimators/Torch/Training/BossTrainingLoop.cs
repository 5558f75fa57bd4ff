using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.ML.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The one training loop every Boss shares: epochs of the selection session's kept rows, batches,
/// per-row losses reported back to the selection (keyed by row id), selection after the forward pass
/// for the methods that need it, a learning-rate schedule over training progress (so it stays right
/// when epochs change length), validation, checkpoints with exact resume, progress and cancellation,
/// and honest accounting of rows forwarded, rows backpropagated and time.
/// </summary>
internal sealed class BossTrainingLoop
{
    private readonly IHostEnvironment _env;
    private readonly BossTrainerOptions _options;
    private readonly IBossModel _boss;
    private readonly int _seed;
    private readonly Func<double>? _evaluate;
    private readonly Stopwatch _trainingClock = new();
    private readonly Stopwatch _evaluationClock = new();
    private TimeSpan _trainingOffset;
    private TimeSpan _evaluationOffset;
    private SelectiveTrainingSession? _session;
    private OptimizerHelper? _optimizer;
    private TrainingReport? _report;
    private double _lossAverage = double.NaN;
    private double _learningRate;
    private double _progress;
    private double _lastMetric = double.NaN;
    private int _epoch;

    /// <param name="env">The ML.NET environment, for logging.</param>
    /// <param name="options">The trainer's shared settings.</param>
    /// <param name="boss">The model being trained (already on its device, seeded).</param>
    /// <param name="seed">Seed of the epoch order and the selection's decisions.</param>
    /// <param name="evaluate">Computes the validation metric, or null when there is no validation set.</param>
    public BossTrainingLoop(IHostEnvironment env, BossTrainerOptions options, IBossModel boss, int seed, Func<double>? evaluate)
    {
        _env = env;
        _options = options;
        _boss = boss;
        _seed = seed;
        _evaluate = evaluate;
    }

    private TimeSpan TrainingTime => _trainingOffset + _trainingClock.Elapsed;

    private TimeSpan EvaluationTime => _evaluationOffset + _evaluationClock.Elapsed;

    public TrainingReport Run(IDataView trainingData)
    {
        var cancellation = _options.CancellationToken;
        using var channel = _env.Register("AutoAssistBoss").Start("Training");
        using var session = SelectiveTrainingSession.Open(_env, trainingData, _boss.InputColumns, _seed, cancellation);
        _session = session;
        var report = _report = new TrainingReport { Method = session.Method, RowCount = session.RowCount };
        _optimizer = OptimizerFactory.Create(_options.Optimizer, _boss.Module.parameters(), _options.LearningRate, _options.WeightDecay, _options.Momentum);
        var scheduler = new LearningRateScheduler(_options.LearningRate, _options.LearningRateSchedule, _options.WarmupFraction,
            _options.MinLearningRate, _options.StepDecayMilestones, _options.StepDecayGamma);

        bool stepBudget = _options.MaxSteps.HasValue;
        long maxSteps = _options.MaxSteps ?? long.MaxValue;
        int epochs = stepBudget ? int.MaxValue : _options.Epochs;
        int startEpoch = Resume(session, channel);

        var batch = _boss.CreateBatch(_options.BatchSize);
        var pool = session.SelectsAfterForward ? _boss.CreateBatch(_options.BatchSize) : null;
        channel.Info(MessageSensitivity.None, $"Training on {session.RowCount} rows with {session.Method} selection, " +
            (stepBudget ? $"{maxSteps} steps" : $"{epochs} epochs") + $" of batch {_options.BatchSize}.");

        for (_epoch = startEpoch; _epoch < epochs && report.Steps < maxSteps; _epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            _trainingClock.Start();
            double ProgressAt(double fraction) => stepBudget ? (double)report.Steps / maxSteps : (_epoch + fraction) / epochs;
            using (var epoch = session.OpenEpoch(ProgressAt(0), cancellation))
            {
                batch.Bind(epoch);
                batch.Clear();
                while (report.Steps < maxSteps && epoch.MoveNext())
                {
                    batch.AppendCurrent(epoch);
                    if (batch.IsFull)
                    {
                        _progress = ProgressAt(epoch.FractionConsidered);
                        Process(batch, pool, scheduler);
                        batch.Clear();
                    }
                }
                if (batch.Count > 0 && report.Steps < maxSteps)
                {
                    _progress = ProgressAt(1);
                    Process(batch, pool, scheduler);
                }
            }
            _trainingClock.Stop();
            report.Epochs = _epoch + 1;
            Evaluate();
            if (_options.CheckpointFolder is not null)
                SaveCheckpoint(_options.CheckpointFolder, _epoch + 1);
            var progress = Snapshot();
            channel.Info(MessageSensitivity.None, progress.ToString());
            _options.Progress?.Report(progress);
        }

        session.Complete();
        report.Warnings = session.Warnings;
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

        float[] losses;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            _boss.Module.train();
            losses = _boss.PerRowLoss(batch, training: false).cpu().data<float>().ToArray();
        }
        _report!.RowsForwarded += batch.Count;
        session.ReportLosses(batch.Ids.AsSpan(0, batch.Count), losses);
        var keep = batch.Weights.AsSpan(0, batch.Count).ToArray();
        session.SelectForBackward(losses, keep);
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
        var optimizer = _optimizer!;
        _learningRate = scheduler.Apply(optimizer, _progress);
        float meanLoss;
        float[]? rowLosses = null;
        using (var scope = NewDisposeScope())
        {
            _boss.Module.train();
            optimizer.zero_grad();
            var losses = _boss.PerRowLoss(batch, training: true);
            using var weights = tensor(batch.Weights.AsSpan(0, batch.Count).ToArray(), device: losses.device);
            // Mean of weighted per-row losses: re-weighting methods stay unbiased against full-data training.
            var loss = (losses * weights).sum() / batch.Count;
            loss.backward();
            optimizer.step();
            meanLoss = loss.item<float>();
            if (reportLosses)
                rowLosses = losses.detach().cpu().data<float>().ToArray();
        }
        if (!float.IsFinite(meanLoss))
            throw new InvalidOperationException($"The training loss became {meanLoss} at step {report.Steps}; lower the learning rate ({_learningRate:G3}).");
        if (rowLosses is not null)
            _session!.ReportLosses(batch.Ids.AsSpan(0, batch.Count), rowLosses);
        report.Steps++;
        report.RowsForwarded += batch.Count;
        report.RowsBackpropagated += batch.Count;
        _lossAverage = double.IsNaN(_lossAverage) ? meanLoss : 0.98 * _lossAverage + 0.02 * meanLoss;
        if (_options.EvaluationIntervalSteps is long interval && report.Steps % interval == 0)
        {
            _trainingClock.Stop();
            Evaluate();
            _options.Progress?.Report(Snapshot());
            _trainingClock.Start();
        }
        _options.CancellationToken.ThrowIfCancellationRequested();
    }

    private void Evaluate()
    {
        if (_evaluate is null)
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
        var report = _report!;
        report.Evaluations.Add(new EvaluationPoint(TrainingTime, report.Steps, _epoch, report.RowsForwarded, report.RowsBackpropagated, _lastMetric));
    }

    private TrainingProgress Snapshot()
    {
        var report = _report!;
        return new TrainingProgress
        {
            Epoch = _epoch,
            Step = report.Steps,
            Progress = _progress,
            Loss = _lossAverage,
            LearningRate = _learningRate,
            KeptFraction = _session!.Statistics.Last?.KeptFraction ?? double.NaN,
            RowsForwarded = report.RowsForwarded,
            RowsBackpropagated = report.RowsBackpropagated,
            RowsPerSecond = report.RowsBackpropagated / Math.Max(1e-9, TrainingTime.TotalSeconds),
            Elapsed = TrainingTime,
            EvaluationTime = EvaluationTime,
            ValidationMetric = _lastMetric,
        };
    }

    private void SaveCheckpoint(string folder, int epochsDone)
    {
        var report = _report!;
        var state = new TrainingLoopState
        {
            Epoch = epochsDone,
            Step = report.Steps,
            Progress = _progress,
            RandomStates = _boss.GetRandomStates(),
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
        TrainingCheckpoint.Save(folder, _boss.Module, _optimizer!, state);
    }

    /// <summary>Continues from the checkpoint folder's last checkpoint, if there is one; returns the first epoch to run.</summary>
    private int Resume(SelectiveTrainingSession session, IChannel channel)
    {
        var folder = _options.CheckpointFolder;
        if (folder is null || !TrainingCheckpoint.TryLoad(folder, _boss.Module, _optimizer!, out var state))
            return 0;
        var report = _report!;
        var values = state.Values;
        var method = values["method"]?.GetValue<string>();
        if (method is not null && method != report.Method)
            throw new InvalidOperationException($"The checkpoint in '{folder}' was written by a {method} run, but this run uses {report.Method}; use another CheckpointFolder.");
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
        session.ResumeAt(state.Epoch);
        channel.Info(MessageSensitivity.None, $"Resumed from the checkpoint in '{folder}' after epoch {state.Epoch}, step {state.Step}.");
        return state.Epoch;
    }
}
