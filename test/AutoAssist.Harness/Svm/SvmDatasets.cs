using Microsoft.ML;
using Microsoft.ML.AutoAssist;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace AutoAssist.Harness.Svm;

/// <summary>A binary problem of the SVM benchmark: training and test rows, the bias feature included.</summary>
internal sealed record SvmDataset(string Name, string Description, SvmRows Train, SvmRows Test);

/// <summary>The benchmark's two real data sets, one dense and one sparse.</summary>
internal static class SvmDatasets
{
    public const string FashionShirts = "fashion-shirt-vs-tshirt";
    public const string CorpusOrigin = "en-de-lohelp";
    public static readonly string[] All = [FashionShirts, CorpusOrigin];

    public static SvmDataset Load(string name, MLContext ml, string? fashionDirectory, string corpusPath) => name switch
    {
        FashionShirts => Fashion(ml, fashionDirectory),
        CorpusOrigin => Corpus(ml, corpusPath),
        _ => throw new ArgumentException($"Unknown SVM data set '{name}'. Known: {string.Join(", ", All)}."),
    };

    private sealed class Row
    {
        public bool Label;
        public VBuffer<float> Features;
    }

    /// <summary>
    /// Fashion-MNIST's two most confusable classes, T-shirt/top (0, false) against shirt (6, true):
    /// 12,000 training and 2,000 test rows of 784 pixels in [0, 1], dense.
    /// </summary>
    private static SvmDataset Fashion(MLContext ml, string? directory)
    {
        SvmRows Split(FashionMnistSplit split)
        {
            var data = FashionMnist.LoadData(split, directory);
            var rows = new List<Row>();
            for (int i = 0; i < data.Count; i++)
            {
                int label = data.GetLabel(i);
                if (label is not (0 or 6))
                    continue;
                var pixels = new float[FashionMnist.ImageHeight * FashionMnist.ImageWidth];
                data.CopyScaledPixels(i, pixels);
                rows.Add(new Row { Label = label == 6, Features = new VBuffer<float>(pixels.Length, pixels) });
            }
            return Read(ml, rows, pixels: FashionMnist.ImageHeight * FashionMnist.ImageWidth);
        }
        return new SvmDataset(FashionShirts, "Fashion-MNIST T-shirt/top (0) vs shirt (6), 784 pixels scaled to [0, 1], dense",
            Split(FashionMnistSplit.Train), Split(FashionMnistSplit.Test));
    }

    /// <summary>
    /// The English–German corpus's test split (1,863 pairs): is the pair from the LibreOffice help
    /// ("lohelp", 1,283 pairs) rather than GNOME or Debian? Features: the English sentence's
    /// word unigrams and bigrams (ML.NET FeaturizeText, lower-cased, L2-normalised), sparse.
    /// A seeded 80/20 split.
    /// </summary>
    private static SvmDataset Corpus(MLContext ml, string path)
    {
        var pairs = TranslationCorpus.ReadPairs(path)
            .Select(p => new Sentence { Label = p.Origin == "lohelp", Text = p.Source }).ToList();
        var labelled = ml.Transforms.Text.FeaturizeText("Features", new TextFeaturizingEstimator.Options
            {
                WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
                CharFeatureExtractor = null,
                Norm = TextFeaturizingEstimator.NormFunction.L2,
                CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            }, nameof(Sentence.Text));
        var view = ml.Data.LoadFromEnumerable(pairs);
        var featurised = labelled.Fit(view).Transform(view);
        var split = ml.Data.TrainTestSplit(featurised, testFraction: 0.2, seed: 1);
        int size = ((VectorDataViewType)featurised.Schema["Features"].Type).Size;
        return new SvmDataset(CorpusOrigin,
            $"English-German corpus test split: origin lohelp vs gnomehelp/debref, English word 1-2-grams ({size} features, L2-normalised), sparse, 80/20 split (seed 1)",
            Read(ml, Rows(split.TrainSet), size), Read(ml, Rows(split.TestSet), size));
    }

    private sealed class Sentence
    {
        public bool Label;
        public string Text = "";
    }

    private static List<Row> Rows(IDataView view) => EnumerateRows(view).ToList();

    private static IEnumerable<Row> EnumerateRows(IDataView view)
    {
        using var cursor = view.GetRowCursor([view.Schema["Label"], view.Schema["Features"]]);
        var label = cursor.GetGetter<bool>(view.Schema["Label"]);
        var features = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
        while (cursor.MoveNext())
        {
            bool l = false;
            var f = default(VBuffer<float>);
            label(ref l);
            features(ref f);
            // The cursor reuses its buffers: copy before handing the row on.
            var copy = default(VBuffer<float>);
            f.CopyTo(ref copy);
            yield return new Row { Label = l, Features = copy };
        }
    }

    private static SvmRows Read(MLContext ml, List<Row> rows, int pixels)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, pixels);
        return SvmRows.Read(ml.Data.LoadFromEnumerable(rows, schema), "Label", "Features", biasFeatureValue: 1, CancellationToken.None);
    }

    /// <summary>
    /// The rows as an ML.NET data view for ML.NET's own trainers, the bias feature included as an
    /// ordinary feature (so that every method minimises the same objective), cached in memory.
    /// Dense when at least a quarter of the values are non-zero.
    /// </summary>
    public static IDataView ToDataView(MLContext ml, SvmRows rows)
    {
        int size = rows.WeightCount;
        bool dense = rows.Values.Length >= 0.25 * rows.Count * size;
        var list = new List<Row>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            int start = rows.RowStart[i], count = rows.RowStart[i + 1] - start;
            var values = rows.Values.AsSpan(start, count).ToArray();
            var indices = rows.Indices.AsSpan(start, count).ToArray();
            VBuffer<float> features;
            if (dense)
            {
                var full = new float[size];
                for (int k = 0; k < count; k++)
                    full[indices[k]] = values[k];
                features = new VBuffer<float>(size, full);
            }
            else
                features = new VBuffer<float>(size, count, values, indices);
            list.Add(new Row { Label = rows.Labels[i] > 0, Features = features });
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        var cached = ml.Data.Cache(ml.Data.LoadFromEnumerable(list, schema));
        // Fill the cache now, so that no trainer's first pass pays for it.
        using (var cursor = cached.GetRowCursor(cached.Schema))
            while (cursor.MoveNext()) { }
        return cached;
    }
}
