using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.Translation;

/// <summary>
/// The Boss projects only the real target positions onto the vocabulary; its sentence losses must
/// equal those of projecting every position and masking the padding out afterwards.
/// </summary>
public class SentenceLossTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void LossesOverRealTokensEqualMaskedLossesOverEveryPosition(double labelSmoothing)
    {
        const int pad = 7, vocabulary = 9, d = 5;
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var states = randn(3, 4, d, generator: generator);
        var projection = randn(vocabulary, d, generator: generator);
        // Rows of 4, 1 and 3 real tokens: a full row, a row that is mostly padding, one in between.
        var targets = tensor(new long[] { 1, 2, 3, 4, 5, pad, pad, pad, 0, 8, 6, pad }, [3, 4]);

        var losses = TranslationBoss.SentenceLosses(states, s => s.matmul(projection.t()), targets, pad, labelSmoothing).data<float>().ToArray();

        var logProbabilities = nn.functional.log_softmax(states.matmul(projection.t()), -1);
        var expected = new double[3];
        for (int row = 0; row < 3; row++)
        {
            int count = 0;
            for (int t = 0; t < 4; t++)
            {
                long token = targets[row, t].item<long>();
                if (token == pad)
                    continue;
                var p = logProbabilities[row, t];
                expected[row] += -(1 - labelSmoothing) * p[token].item<float>() - labelSmoothing * p.mean().item<float>();
                count++;
            }
            expected[row] /= count;
        }
        Assert.Equal(3, losses.Length);
        for (int row = 0; row < 3; row++)
            Assert.Equal(expected[row], losses[row], 5);
    }
}
