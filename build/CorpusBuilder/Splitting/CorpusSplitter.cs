using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.AutoAssist.CorpusBuilder.Building;
using Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Splitting;

/// <summary>
/// Splits a corpus into train/dev/test by a hash of the lower-cased English side. All pairs
/// sharing an English sentence (however cased, whatever their German or source) land in the
/// same bucket, so no English sentence is in two sets. Dev and test take documentation pairs
/// only; other pairs hashing there are dropped rather than moved to train. The split depends on
/// nothing but the text, so it is the same on every machine and for every corpus version.
/// </summary>
public sealed class CorpusSplitter
{
    /// <summary>Buckets a pair's English side hashes into.</summary>
    public const int BucketCount = 1000;

    private readonly IReadOnlySet<string> _evaluationSources;
    private readonly int _devPerMille;
    private readonly int _testPerMille;

    /// <param name="evaluationSources">Sources allowed in dev/test; null means <see cref="SourceNames.Documentation"/>.</param>
    /// <param name="devPerMille">Share of buckets for dev, in thousandths.</param>
    /// <param name="testPerMille">Share of buckets for test, in thousandths.</param>
    public CorpusSplitter(IReadOnlySet<string>? evaluationSources = null, int devPerMille = 30, int testPerMille = 30)
    {
        if (devPerMille < 0 || testPerMille < 0 || devPerMille + testPerMille > BucketCount)
        {
            throw new ArgumentOutOfRangeException(nameof(devPerMille), $"dev ({devPerMille}) and test ({testPerMille}) per mille must be >= 0 and sum to at most {BucketCount}.");
        }
        _evaluationSources = evaluationSources ?? SourceNames.Documentation;
        _devPerMille = devPerMille;
        _testPerMille = testPerMille;
    }

    /// <summary>
    /// The bucket (0..999) of an English sentence: the first 32 bits of the MD5 of its lower-cased
    /// UTF-8 bytes, modulo 1000. MD5 serves as a stable, well-mixed hash here, not for security.
    /// </summary>
    public static int Bucket(string english)
    {
        Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
        MD5.HashData(Encoding.UTF8.GetBytes(english.ToLowerInvariant()), hash);
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) % BucketCount);
    }

    /// <summary>The set one pair belongs to.</summary>
    public SplitName Assign(CorpusPair pair)
    {
        int bucket = Bucket(pair.English);
        SplitName name = bucket < _testPerMille ? SplitName.Test
            : bucket < _testPerMille + _devPerMille ? SplitName.Dev
            : SplitName.Train;
        return name != SplitName.Train && !_evaluationSources.Contains(pair.Source) ? SplitName.Dropped : name;
    }

    /// <summary>Splits <paramref name="pairs"/>, keeping their order within each set.</summary>
    public CorpusSplit Split(IEnumerable<CorpusPair> pairs)
    {
        var sets = new Dictionary<SplitName, List<CorpusPair>>
        {
            [SplitName.Train] = [], [SplitName.Dev] = [], [SplitName.Test] = [], [SplitName.Dropped] = [],
        };
        foreach (CorpusPair pair in pairs)
        {
            sets[Assign(pair)].Add(pair);
        }
        return new CorpusSplit(sets[SplitName.Train], sets[SplitName.Dev], sets[SplitName.Test], sets[SplitName.Dropped]);
    }
}
