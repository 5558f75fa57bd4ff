namespace Microsoft.ML.AutoAssist;

/// <summary>Uniform selection: every row, every epoch, weight 1 (plain training; the reference of every comparison).</summary>
public sealed class UniformOptions : SelectionMethodOptions
{
    /// <summary>The name the method is saved under.</summary>
    public const string MethodName = "Uniform";

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override SelectionPolicy CreatePolicy(SelectionContext context) => new UniformPolicy();

    private sealed class UniformPolicy : SelectionPolicy
    {
        public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random) => weights.Fill(1f);
    }
}
