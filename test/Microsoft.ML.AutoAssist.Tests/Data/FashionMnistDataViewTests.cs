using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Data;

/// <summary>The in-memory data view on small data made in the test.</summary>
public class FashionMnistDataViewTests
{
    private static FashionMnistData MakeData(int count)
        => new(IdxTestFiles.MakePixels(count), IdxTestFiles.MakeLabels(count));

    [Theory]
    [InlineData(200, 3)]
    [InlineData(200, 1)]
    [InlineData(10, 8)]
    [InlineData(0, 4)]
    public void CursorSetReturnsEveryRowOnceWithStableIdsAndOrderedBatches(int rows, int requested)
    {
        var view = MakeData(rows).ToDataView();

        var cursors = view.GetRowCursorSet(view.Schema, requested);

        Assert.InRange(cursors.Length, 1, Math.Max(1, requested));
        var seen = new List<ulong>();
        var batchOwner = new Dictionary<long, int>();
        for (int c = 0; c < cursors.Length; c++)
        {
            using var cursor = cursors[c];
            var getId = cursor.GetIdGetter();
            var getLabel = cursor.GetGetter<uint>(view.Schema[FashionMnist.LabelColumnName]);
            DataViewRowId id = default;
            uint key = 0;
            long lastBatch = -1, position = -1;
            while (cursor.MoveNext())
            {
                getId(ref id);
                getLabel(ref key);
                Assert.Equal(++position, cursor.Position);
                Assert.True(cursor.Batch >= lastBatch, "batch numbers must not decrease within a cursor");
                lastBatch = cursor.Batch;
                Assert.Equal(c, batchOwner.GetValueOrDefault(cursor.Batch, c));
                batchOwner[cursor.Batch] = c;
                Assert.Equal((uint)(id.Low % 10) + 1, key);
                seen.Add(id.Low);
            }
        }
        Assert.Equal(Enumerable.Range(0, rows).Select(i => (ulong)i), seen.Order());
    }

    [Fact]
    public void ConsolidatingTheCursorSetByBatchRestoresTheSerialOrder()
    {
        var view = MakeData(300).ToDataView();

        var rowsByBatch = new SortedDictionary<long, List<ulong>>();
        foreach (var cursor in view.GetRowCursorSet(view.Schema, 4))
        {
            using (cursor)
            {
                var getId = cursor.GetIdGetter();
                DataViewRowId id = default;
                while (cursor.MoveNext())
                {
                    getId(ref id);
                    if (!rowsByBatch.TryGetValue(cursor.Batch, out var list))
                        rowsByBatch[cursor.Batch] = list = [];
                    list.Add(id.Low);
                }
            }
        }

        Assert.Equal(Enumerable.Range(0, 300).Select(i => (ulong)i), rowsByBatch.Values.SelectMany(list => list));
    }

    [Fact]
    public void RowIdNamesTheSameRowInEveryCursoring()
    {
        var data = MakeData(150);
        var view = data.ToDataView();

        var serial = ReadById(view.GetRowCursor(view.Schema, new Random(1)));
        var parallel = view.GetRowCursorSet(view.Schema, 3, new Random(2)).SelectMany(ReadById).ToList();

        Assert.Equal(Enumerable.Range(0, 150).Select(i => (ulong)i), serial.Select(r => r.Id));
        Assert.Equal(150, parallel.Count);
        foreach (var (id, pixels) in parallel)
        {
            var expected = new float[FashionMnist.PixelCount];
            data.CopyScaledPixels((int)id, expected);
            Assert.Equal(expected, pixels);
        }
        Assert.False(view.CanShuffle);
    }

    private static List<(ulong Id, float[] Pixels)> ReadById(DataViewRowCursor cursor)
    {
        using (cursor)
        {
            var getId = cursor.GetIdGetter();
            var getPixels = cursor.GetGetter<VBuffer<float>>(cursor.Schema[FashionMnist.PixelsColumnName]);
            DataViewRowId id = default;
            VBuffer<float> pixels = default;
            var rows = new List<(ulong, float[])>();
            while (cursor.MoveNext())
            {
                getId(ref id);
                getPixels(ref pixels);
                rows.Add((id.Low, pixels.DenseValues().ToArray()));
            }
            return rows;
        }
    }

    [Fact]
    public void GetterOfWrongTypeOrInactiveColumnNamesTheColumn()
    {
        var view = MakeData(5).ToDataView();
        var label = view.Schema[FashionMnist.LabelColumnName];
        var pixels = view.Schema[FashionMnist.PixelsColumnName];

        using var cursor = view.GetRowCursor([label]);

        Assert.True(cursor.IsColumnActive(label));
        Assert.False(cursor.IsColumnActive(pixels));
        var wrongType = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<float>(label));
        Assert.Contains("'Label'", wrongType.Message);
        var inactive = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(pixels));
        Assert.Contains("'Pixels'", inactive.Message);
    }

    [Fact]
    public void GetterBeforeMoveNextThrows()
    {
        var view = MakeData(5).ToDataView();
        using var cursor = view.GetRowCursor(view.Schema);
        var getLabel = cursor.GetGetter<uint>(view.Schema[FashionMnist.LabelColumnName]);
        uint key = 0;

        Assert.Throws<InvalidOperationException>(() => getLabel(ref key));
    }

    [Fact]
    public void CopyScaledPixelsMatchesTheView()
    {
        var data = MakeData(3);
        var fromView = data.ToDataView().GetColumn<float[]>(FashionMnist.PixelsColumnName).ToArray();

        var copied = new float[FashionMnist.PixelCount];
        data.CopyScaledPixels(1, copied);

        Assert.Equal(fromView[1], copied);
        Assert.NotEqual(fromView[0], copied);
    }

    [Fact]
    public void ConstructorRejectsMismatchedSizesAndUnknownLabels()
    {
        var sizes = Assert.Throws<ArgumentException>(() => new FashionMnistData(new byte[784 * 2], new byte[3]));
        Assert.Contains("3 labels need 2352 pixel bytes", sizes.Message);

        var label = Assert.Throws<ArgumentException>(() => new FashionMnistData(new byte[784 * 2], new byte[] { 1, 10 }));
        Assert.Contains("Label 10 of item 1", label.Message);
    }
}
