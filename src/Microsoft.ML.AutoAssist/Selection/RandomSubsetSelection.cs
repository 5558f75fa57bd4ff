namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Random subset: a fixed random share of the rows, drawn once from the session's seed, kept with
/// weight 1 on every pass. A control arm: a selection method should beat training on a random
/// subset of the same size at the same budget, or it has learned nothing about the rows.
/// </summary>
public sealed class RandomSubsetOptions : SelectionMethodOptions
{
    /// <summary>The name the method is saved under.</summary>
    public const string MethodName = "RandomSubset";

    /// <summary>Share of the rows in the subset. In (0, 1].</summary>
    public float KeepFraction = 0.5f;

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override void Validate()
        => Check(KeepFraction > 0 && KeepFraction <= 1, nameof(KeepFraction), KeepFraction, "must be in (0, 1]");

    /// <inheritdoc/>
    public override SelectionPolicy CreatePolicy(SelectionContext context) => new RandomSubsetPolicy(context.RowCount, context.Seed, KeepFraction);

    /// <inheritdoc/>
    public override void SaveOptions(BinaryWriter writer) => writer.Write(KeepFraction);

    /// <inheritdoc/>
    public override void LoadOptions(BinaryReader reader, int version) => KeepFraction = reader.ReadSingle();

    /// <summary>
    /// The subset is drawn when the policy is created, from the seed alone, so it has no state to
    /// save: a resumed session draws the same subset again.
    /// </summary>
    private sealed class RandomSubsetPolicy : SelectionPolicy
    {
        // A seed stream of its own, so the subset does not follow the first epoch's order.
        private const int SubsetStream = 0x5EB5E7;

        private readonly bool[] _inSubset;

        public RandomSubsetPolicy(int rowCount, int seed, float keepFraction)
        {
            // Rounded, at least one row: a session never has an empty epoch.
            int size = Math.Clamp((int)Math.Round((double)keepFraction * rowCount), 1, rowCount);
            var rows = new int[rowCount];
            for (int i = 0; i < rows.Length; i++)
                rows[i] = i;
            new Random(unchecked(seed ^ SubsetStream)).Shuffle(rows);
            _inSubset = new bool[rowCount];
            foreach (int row in rows.AsSpan(0, size))
                _inSubset[row] = true;
        }

        public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random)
        {
            for (int i = 0; i < rows.Length; i++)
                weights[i] = _inSubset[rows[i]] ? 1f : 0f;
        }
    }
}
