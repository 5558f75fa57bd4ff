using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Tests.Persistence;

/// <summary>Tiny data and a chain <c>MapValueToKey -> ShiftTransformer -> NormalizeMinMax</c> shared by the persistence tests.</summary>
internal static class PersistenceTestData
{
    public const int Width = 4;

    public sealed class InputRow
    {
        public string Label { get; set; } = "";

        [VectorType(Width)]
        public float[] Features { get; set; } = [];
    }

    public sealed class OutputRow
    {
        public uint Label { get; set; }

        [VectorType(Width)]
        public float[] Features { get; set; } = [];

        [VectorType(Width)]
        public float[] Shifted { get; set; } = [];

        [VectorType(Width)]
        public float[] Normalized { get; set; } = [];
    }

    public static IDataView MakeData(MLContext ml)
    {
        var random = new Random(7);
        string[] labels = ["cat", "dog", "bird"];
        var rows = Enumerable.Range(0, 12).Select(i => new InputRow
        {
            Label = labels[i % labels.Length],
            Features = Enumerable.Range(0, Width).Select(_ => (float)random.NextDouble() * 10 - 5).ToArray(),
        });
        return ml.Data.LoadFromEnumerable(rows.ToList());
    }

    public static ShiftTransformer MakeShift() => new("Features", "Shifted", shift: 1.5f, offsets: [0.25f, -2f, 3.125f, 1e-3f]);

    /// <summary>Fits the built-ins around <paramref name="middle"/> (default: a <see cref="ShiftTransformer"/>).</summary>
    public static TransformerChain<ITransformer> MakeChain(MLContext ml, IDataView data, ITransformer? middle = null)
    {
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data);
        middle ??= MakeShift();
        var shifted = middle.Transform(toKey.Transform(data));
        var normalize = ml.Transforms.NormalizeMinMax("Normalized", "Shifted").Fit(shifted);
        return new TransformerChain<ITransformer>(toKey, middle, normalize);
    }

    public static List<OutputRow> Score(MLContext ml, ITransformer model, IDataView data)
        => ml.Data.CreateEnumerable<OutputRow>(model.Transform(data), reuseRowObject: false).ToList();
}
