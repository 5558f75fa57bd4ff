using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Data;

/// <summary>Reads both splits once for all real-data tests (about a second).</summary>
public sealed class InstalledFashionMnist
{
    // No skip when the data is missing: LoadData throws a message that says how to install it.
    public FashionMnistData Train { get; } = FashionMnist.LoadData(FashionMnistSplit.Train);

    public FashionMnistData Test { get; } = FashionMnist.LoadData(FashionMnistSplit.Test);
}

/// <summary>The reader on the installed Fashion-MNIST files (build/setup-data.sh installs them).</summary>
public class FashionMnistReaderTests : IClassFixture<InstalledFashionMnist>
{
    private readonly InstalledFashionMnist _data;

    public FashionMnistReaderTests(InstalledFashionMnist data) => _data = data;

    [Theory]
    [InlineData(FashionMnistSplit.Train, 60000)]
    [InlineData(FashionMnistSplit.Test, 10000)]
    public void SplitHasPublishedRowCountAndBalancedClasses(FashionMnistSplit split, int expectedRows)
    {
        var data = split == FashionMnistSplit.Train ? _data.Train : _data.Test;

        Assert.Equal(expectedRows, data.Count);
        Assert.Equal(expectedRows * FashionMnist.PixelCount, data.Pixels.Length);
        var perClass = new int[FashionMnist.ClassCount];
        foreach (byte label in data.Labels.Span)
            perClass[label]++;
        // Fashion-MNIST is balanced: every class has a tenth of each split.
        Assert.All(perClass, n => Assert.Equal(expectedRows / 10, n));
        Assert.Equal(expectedRows, data.ToDataView().GetRowCount());
    }

    [Fact]
    public void FirstTrainingImageIsAnAnkleBoot()
    {
        // Published fact of the data set: train[0] is class 9; its corner pixel is background.
        Assert.Equal(9, _data.Train.GetLabel(0));
        Assert.Equal("Ankle boot", FashionMnist.ClassNames[_data.Train.GetLabel(0)]);
        Assert.Equal(0, _data.Train.GetImage(0)[0]);
        Assert.Contains(_data.Train.GetImage(0).ToArray(), level => level > 200);
    }

    [Fact]
    public void SchemaHasKeyLabelWithClassNamesAndPixelVector()
    {
        var view = FashionMnist.Load(new MLContext(seed: 1), FashionMnistSplit.Test, maxRows: 10);

        var label = view.Schema[FashionMnist.LabelColumnName];
        var key = Assert.IsType<KeyDataViewType>(label.Type);
        Assert.Equal(typeof(uint), key.RawType);
        Assert.Equal(10UL, key.Count);
        VBuffer<ReadOnlyMemory<char>> names = default;
        label.GetKeyValues(ref names);
        Assert.Equal(
            ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            names.DenseValues().Select(name => name.ToString()));

        var pixels = Assert.IsType<VectorDataViewType>(view.Schema[FashionMnist.PixelsColumnName].Type);
        Assert.Equal(NumberDataViewType.Single, pixels.ItemType);
        Assert.True(pixels.IsKnownSize);
        Assert.Equal(784, pixels.Size);
        Assert.Equal(new[] { 1, 28, 28 }, pixels.Dimensions.ToArray());
        Assert.Equal(2, view.Schema.Count);
    }

    // Every row's key and id is checked; pixel values on every row of Test and every sixth row of
    // Train, which keeps the test near a second in a Debug build.
    [Theory]
    [InlineData(FashionMnistSplit.Train, 6)]
    [InlineData(FashionMnistSplit.Test, 1)]
    public void ViewGivesScaledPixelsInUnitIntervalKeysAndRowIds(FashionMnistSplit split, int pixelRowStride)
    {
        var data = split == FashionMnistSplit.Train ? _data.Train : _data.Test;
        var view = data.ToDataView();

        using var cursor = view.GetRowCursor(view.Schema);
        var getLabel = cursor.GetGetter<uint>(view.Schema[FashionMnist.LabelColumnName]);
        var getPixels = cursor.GetGetter<VBuffer<float>>(view.Schema[FashionMnist.PixelsColumnName]);
        var getId = cursor.GetIdGetter();
        uint key = 0;
        VBuffer<float> pixels = default;
        DataViewRowId id = default;
        float min = float.MaxValue, max = float.MinValue;
        int row = -1;
        while (cursor.MoveNext())
        {
            row++;
            getLabel(ref key);
            getId(ref id);
            if (key != data.GetLabel(row) + 1 || !id.Equals(new DataViewRowId((ulong)row, 0)))
                Assert.Fail($"Row {row}: key {key} for label {data.GetLabel(row)}, id {id}.");
            if (row % pixelRowStride != 0)
                continue;
            getPixels(ref pixels);
            Assert.Equal(784, pixels.Length);
            var values = pixels.GetValues();
            var levels = data.GetImage(row);
            for (int p = 0; p < values.Length; p++)
            {
                if (values[p] != levels[p] / 255f)
                    Assert.Fail($"Row {row}, pixel {p}: {values[p]} is not {levels[p]}/255.");
                min = Math.Min(min, values[p]);
                max = Math.Max(max, values[p]);
            }
        }
        Assert.Equal(data.Count, row + 1);
        Assert.Equal(0f, min);
        Assert.Equal(1f, max);
    }

    [Fact]
    public void MaxRowsReadsTheFirstRows()
    {
        var first = FashionMnist.LoadData(FashionMnistSplit.Train, maxRows: 100);

        Assert.Equal(100, first.Count);
        Assert.Equal(_data.Train.Labels[..100].ToArray(), first.Labels.ToArray());
        Assert.Equal(_data.Train.Pixels[..(100 * 784)].ToArray(), first.Pixels.ToArray());
    }

    [Fact]
    public void MapKeyToValueGivesClassNames()
    {
        var mlContext = new MLContext(seed: 1);
        var view = FashionMnist.Load(mlContext, FashionMnistSplit.Train, maxRows: 20);

        var named = mlContext.Transforms.Conversion.MapKeyToValue("ClassName", FashionMnist.LabelColumnName).Fit(view).Transform(view);

        var classNames = named.GetColumn<ReadOnlyMemory<char>>("ClassName").Select(name => name.ToString()).ToArray();
        var expected = Enumerable.Range(0, 20).Select(row => FashionMnist.ClassNames[_data.Train.GetLabel(row)]).ToArray();
        Assert.Equal(expected, classNames);
    }
}
