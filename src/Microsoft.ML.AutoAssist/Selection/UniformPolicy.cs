namespace Microsoft.ML.AutoAssist;

/// <summary>Keeps every row with weight 1.</summary>
internal sealed class UniformPolicy(LossHistory losses) : SelectionPolicy(losses)
{
    public override SelectionMethod Method => SelectionMethod.Uniform;

    public override bool KeepsEveryRow => true;

    public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random) => weights.Fill(1f);
}
