using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A linear SVM trained by Pegasos with a choice of instance selection, AutoAssist shrinking by
/// default. It produces ML.NET's own linear binary model, so evaluation, prediction engines,
/// saving and loading, feature contributions and Platt calibration
/// (<c>.Append(mlContext.BinaryClassification.Calibrators.Platt())</c>) work as for ML.NET's trainers.
/// Create it with <c>mlContext.BinaryClassification.Trainers.ShrinkingSvm</c>.
/// </summary>
public sealed class ShrinkingSvmTrainer : IEstimator<BinaryPredictionTransformer<LinearBinaryModelParameters>>
{
    private readonly IHostEnvironment _env;
    private readonly ShrinkingSvmTrainerOptions _options;

    internal ShrinkingSvmTrainer(IHostEnvironment env, ShrinkingSvmTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        // Train from a copy, validated now: later edits to the caller's object cannot skip the checks.
        _options = options.Clone();
        _options.Validate();
        _env = env;
    }

    /// <inheritdoc/>
    public BinaryPredictionTransformer<LinearBinaryModelParameters> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        SvmSchema.Check(input.Schema, o.LabelColumnName, o.FeatureColumnName);
        int seed = o.Seed ?? _env.Register(nameof(ShrinkingSvmTrainer)).Rand.Next();
        using var channel = _env.Register("ShrinkingSvm").Start("Fit");

        var rows = SvmRows.Read(input, o.LabelColumnName, o.FeatureColumnName, o.BiasFeatureValue, o.CancellationToken);
        var solver = CreateSolver(rows, o, seed);
        for (int epoch = 0; epoch < o.NumberOfEpochs; epoch++)
            solver.Run(rows.Count, o.CancellationToken);
        channel.Info(MessageSensitivity.None,
            $"{o.Selection} Pegasos ({o.Loss}, C = {o.Cost}, λ = {solver.Lambda:G4}) on {rows.Count} rows of {rows.InputFeatureCount} features: " +
            $"{o.NumberOfEpochs} epochs, {solver.Updates} updates in {solver.Visited} visits, primal objective {solver.Objective():G6}.");

        var model = CreateModel(_env, solver.Weights(), rows);
        return LinearBinaryTransformer.Create(_env, model, input.Schema, o.FeatureColumnName);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SvmSchema.Check(inputSchema, _options.LabelColumnName, _options.FeatureColumnName);
        var added = new DataViewSchema.Builder();
        added.AddColumn(DefaultColumnNames.Score, NumberDataViewType.Single);
        added.AddColumn(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance);
        return SchemaShapes.Append(inputSchema, added.ToSchema());
    }

    internal static PegasosSolver CreateSolver(SvmRows rows, ShrinkingSvmTrainerOptions o, int seed)
        => new(rows, o.Loss, o.Selection, o.Cost, o.StepOffset, o.BaseKeepProbability, o.ShrinkingTolerance, seed);

    /// <summary>ML.NET's linear model: the input features' weights, and the bias feature's weight times its value as the bias.</summary>
    internal static LinearBinaryModelParameters CreateModel(IHostEnvironment env, double[] weights, SvmRows rows)
    {
        var inputWeights = new float[rows.InputFeatureCount];
        for (int j = 0; j < inputWeights.Length; j++)
            inputWeights[j] = (float)weights[j];
        float bias = rows.BiasFeatureValue != 0 ? (float)(weights[rows.InputFeatureCount] * rows.BiasFeatureValue) : 0f;
        return LinearBinaryTransformer.CreateModel(env, new VBuffer<float>(inputWeights.Length, inputWeights), bias);
    }

    private static class DefaultColumnNames
    {
        public const string Score = "Score";
        public const string PredictedLabel = "PredictedLabel";
    }
}

/// <summary>
/// Creates ML.NET's <see cref="LinearBinaryModelParameters"/> and the
/// <see cref="BinaryPredictionTransformer{TModel}"/> around it. ML.NET keeps both constructors
/// internal (its trainers reach them through InternalsVisibleTo); they are found by their parameter
/// types, and a clear error names them if an upgrade moves them (every trainer test goes through
/// them). The model and transformer then save and load themselves as ML.NET's own.
/// </summary>
internal static class LinearBinaryTransformer
{
    private static readonly ConstructorInfo? ModelConstructor = typeof(LinearBinaryModelParameters).GetConstructor(
        BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null,
        [typeof(IHostEnvironment), typeof(VBuffer<float>).MakeByRefType(), typeof(float), typeof(ModelStatisticsBase)], null);

    public static LinearBinaryModelParameters CreateModel(IHostEnvironment env, VBuffer<float> weights, float bias)
        => (LinearBinaryModelParameters)Invoke(ModelConstructor,
            "LinearBinaryModelParameters(IHostEnvironment, in VBuffer<float>, float, ModelStatisticsBase)", [env, weights, bias, null]);

    private static readonly ConstructorInfo? Constructor = typeof(BinaryPredictionTransformer<LinearBinaryModelParameters>).GetConstructor(
        BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null,
        [typeof(IHostEnvironment), typeof(LinearBinaryModelParameters), typeof(DataViewSchema), typeof(string), typeof(float), typeof(string)], null);

    public static BinaryPredictionTransformer<LinearBinaryModelParameters> Create(
        IHostEnvironment env, LinearBinaryModelParameters model, DataViewSchema inputSchema, string featureColumnName)
        => (BinaryPredictionTransformer<LinearBinaryModelParameters>)Invoke(Constructor,
            "BinaryPredictionTransformer(IHostEnvironment, TModel, DataViewSchema, string, float, string)",
            [env, model, inputSchema, featureColumnName, 0f, "Score"]);

    private static object Invoke(ConstructorInfo? constructor, string signature, object?[] arguments)
    {
        if (constructor is null)
            throw new MissingMethodException(
                $"ML.NET's constructor {signature} was not found. This package supports Microsoft.ML [5.0.1, 5.1); a newer ML.NET may have changed it.");
        try
        {
            return constructor.Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
