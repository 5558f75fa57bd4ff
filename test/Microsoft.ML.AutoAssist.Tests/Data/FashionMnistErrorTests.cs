using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Data;

/// <summary>Broken or missing files give errors that name the file and say what to do.</summary>
public sealed class FashionMnistErrorTests : IDisposable
{
    private readonly IdxTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private void AssertSaysHowToGetTheData(string message)
    {
        Assert.Contains("build/setup-data.sh", message);
        Assert.Contains("dataset-fashion-mnist", message);
        Assert.Contains("FASHION_MNIST_DIR", message);
    }

    [Fact]
    public void SmallValidFilesReadBack()
    {
        _files.WriteSplit(FashionMnistSplit.Test, 7);

        var data = FashionMnist.LoadData(FashionMnistSplit.Test, _files.Folder);
        var firstThree = FashionMnist.LoadData(FashionMnistSplit.Test, _files.Folder, maxRows: 3);

        Assert.Equal(7, data.Count);
        Assert.Equal(IdxTestFiles.MakePixels(7), data.Pixels.ToArray());
        Assert.Equal(IdxTestFiles.MakeLabels(7), data.Labels.ToArray());
        Assert.Equal(3, firstThree.Count);
        Assert.Equal(IdxTestFiles.MakePixels(3), firstThree.Pixels.ToArray());
    }

    [Fact]
    public void MissingFolderNamesItAndSaysHowToGetTheData()
    {
        string missing = Path.Combine(_files.Folder, "nowhere");

        var e = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.LoadData(FashionMnistSplit.Train, missing));

        Assert.Contains(missing, e.Message);
        AssertSaysHowToGetTheData(e.Message);
    }

    [Fact]
    public void MissingFileNamesItAndSaysHowToGetTheData()
    {
        _files.WriteImages(FashionMnistSplit.Train, 2, IdxTestFiles.MakePixels(2));

        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadData(FashionMnistSplit.Train, _files.Folder));

        Assert.Contains(_files.LabelsPath(FashionMnistSplit.Train), e.Message);
        AssertSaysHowToGetTheData(e.Message);
    }

    [Fact]
    public void WrongMagicNumberSaysExpectedAndFound()
    {
        _files.WriteSplit(FashionMnistSplit.Train, 2);
        // A labels file where the images file should be.
        _files.WriteImages(FashionMnistSplit.Train, 2, IdxTestFiles.MakePixels(2), magic: 0x00000801);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadData(FashionMnistSplit.Train, _files.Folder));

        Assert.Contains(_files.ImagesPath(FashionMnistSplit.Train), e.Message);
        Assert.Contains("expected 0x00000803", e.Message);
        Assert.Contains("found 0x00000801", e.Message);
    }

    [Fact]
    public void TruncatedImagesSayHowManyItemsAndBytes()
    {
        _files.WriteSplit(FashionMnistSplit.Test, 5);
        // The header declares 5 images but the data stops halfway through the fourth.
        _files.WriteImages(FashionMnistSplit.Test, 5, IdxTestFiles.MakePixels(5)[..(3 * 784 + 392)]);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadData(FashionMnistSplit.Test, _files.Folder));

        Assert.Contains(_files.ImagesPath(FashionMnistSplit.Test), e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("declares 5 items of 784 bytes", e.Message);
        Assert.Contains("after 3 complete items (2744 of the 3920 bytes needed)", e.Message);
    }

    [Fact]
    public void TruncatedRowsBeyondMaxRowsAreNotRead()
    {
        _files.WriteSplit(FashionMnistSplit.Test, 5);
        _files.WriteImages(FashionMnistSplit.Test, 5, IdxTestFiles.MakePixels(5)[..(3 * 784)]);

        Assert.Equal(3, FashionMnist.LoadData(FashionMnistSplit.Test, _files.Folder, maxRows: 3).Count);
    }

    [Fact]
    public void TruncatedHeaderNamesTheFile()
    {
        _files.WriteSplit(FashionMnistSplit.Train, 2);
        IdxTestFiles.WriteGzip(_files.LabelsPath(FashionMnistSplit.Train), IdxTestFiles.Header(0x00000801, 2)[..6], []);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadData(FashionMnistSplit.Train, _files.Folder));

        Assert.Contains(_files.LabelsPath(FashionMnistSplit.Train), e.Message);
        Assert.Contains("header needs 8 bytes, but the data ends after 6", e.Message);
    }

    [Fact]
    public void ImageAndLabelCountMismatchNamesBothFiles()
    {
        _files.WriteImages(FashionMnistSplit.Train, 3, IdxTestFiles.MakePixels(3));
        _files.WriteLabels(FashionMnistSplit.Train, 4, IdxTestFiles.MakeLabels(4));

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadData(FashionMnistSplit.Train, _files.Folder));

        Assert.Contains($"'{_files.ImagesPath(FashionMnistSplit.Train)}' declares 3 images", e.Message);
        Assert.Contains($"'{_files.LabelsPath(FashionMnistSplit.Train)}' declares 4 labels", e.Message);
    }

    [Fact]
    public void FileThatIsNotGzipIsNamed()
    {
        _files.WriteSplit(FashionMnistSplit.Test, 2);
        // The decompressed IDX bytes, as left by gunzip.
        File.WriteAllBytes(_files.ImagesPath(FashionMnistSplit.Test), [.. IdxTestFiles.Header(0x00000803, 2, 28, 28), .. IdxTestFiles.MakePixels(2)]);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadData(FashionMnistSplit.Test, _files.Folder));

        Assert.Contains(_files.ImagesPath(FashionMnistSplit.Test), e.Message);
        Assert.Contains("not a gzip file", e.Message);
    }

    [Fact]
    public void WrongImageSizeIsNamed()
    {
        _files.WriteSplit(FashionMnistSplit.Test, 2);
        _files.WriteImages(FashionMnistSplit.Test, 2, new byte[2 * 32 * 32], height: 32, width: 32);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadData(FashionMnistSplit.Test, _files.Folder));

        Assert.Contains(_files.ImagesPath(FashionMnistSplit.Test), e.Message);
        Assert.Contains("32x32", e.Message);
    }

    [Fact]
    public void LabelOutsideTheTenClassesNamesTheLabelsFile()
    {
        _files.WriteSplit(FashionMnistSplit.Test, 3);
        _files.WriteLabels(FashionMnistSplit.Test, 3, [0, 1, 12]);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadData(FashionMnistSplit.Test, _files.Folder));

        Assert.Contains(_files.LabelsPath(FashionMnistSplit.Test), e.Message);
        Assert.Contains("Label 12 of item 2", e.Message);
    }

    [Fact]
    public void LocateDirectoryPrefersArgumentThenEnvironmentThenDefault()
    {
        string other = Directory.CreateDirectory(Path.Combine(_files.Folder, "other")).FullName;

        Assert.Equal(_files.Folder, FashionMnist.LocateDirectory(_files.Folder, environmentValue: other));
        Assert.Equal(other, FashionMnist.LocateDirectory(null, environmentValue: other));

        string missing = Path.Combine(_files.Folder, "missing");
        var fromEnvironment = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.LocateDirectory(null, environmentValue: missing));
        Assert.Contains(missing, fromEnvironment.Message);
        Assert.Contains("named by FASHION_MNIST_DIR", fromEnvironment.Message);

        // Without argument or variable the default folder is chosen, whether or not it exists here.
        try
        {
            Assert.Equal(FashionMnist.DefaultDirectory, FashionMnist.LocateDirectory(null, environmentValue: null));
        }
        catch (DirectoryNotFoundException e)
        {
            Assert.Contains(FashionMnist.DefaultDirectory, e.Message);
        }
    }
}
