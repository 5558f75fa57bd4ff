using System.Globalization;
using System.Text;

namespace Microsoft.ML.AutoAssist;

public static partial class FashionMnist
{
    /// <summary>The name of the index file <see cref="ExportPng(FashionMnistData, string, int?)"/> writes.</summary>
    public const string PngIndexFileName = "images.tsv";

    /// <summary>The index file's column of image file names, relative to the export folder.</summary>
    public const string ImagePathColumnName = "ImagePath";

    /// <summary>
    /// Writes the first <paramref name="count"/> images of a split as 28 × 28 grayscale PNG files, with
    /// an index for ML.NET's image pipeline; see <see cref="ExportPng(FashionMnistData, string, int?)"/>.
    /// </summary>
    /// <param name="split">Training or test images.</param>
    /// <param name="outputFolder">The folder to write to; created when missing.</param>
    /// <param name="count">How many images to write, from the first.</param>
    /// <param name="directory">The folder of the .gz files; see <see cref="LocateDirectory(string?)"/>.</param>
    /// <returns>The full path of the index file.</returns>
    public static string ExportPng(FashionMnistSplit split, string outputFolder, int count, string? directory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return ExportPng(LoadData(split, directory, maxRows: count), outputFolder, count);
    }

    /// <summary>
    /// Writes images as lossless 28 × 28 grayscale PNG files named image-00000.png, image-00001.png, ...
    /// and an index file images.tsv: a header line "ImagePath&lt;TAB&gt;Label", then one line per image
    /// with the file name (relative to <paramref name="outputFolder"/>) and the class name from
    /// <see cref="ClassNames"/>. Running it again writes the same files.
    /// </summary>
    /// <remarks>
    /// Read it back with
    /// <c>mlContext.Data.LoadFromTextFile(indexPath, [new("ImagePath", DataKind.String, 0), new("Label", DataKind.String, 1)], '\t', hasHeader: true)</c>
    /// and <c>mlContext.Transforms.LoadImages("Image", imageFolder: outputFolder, inputColumnName: "ImagePath")</c>.
    /// The decoded images have R = G = B = the original gray level, so ExtractPixels with
    /// <c>colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red</c> and <c>scaleImage: 1f / 255</c>
    /// gives the "Pixels" column of <see cref="Load"/> to within float rounding.
    /// </remarks>
    /// <param name="data">The images to write.</param>
    /// <param name="outputFolder">The folder to write to; created when missing.</param>
    /// <param name="count">How many images to write, from the first; all when null.</param>
    /// <returns>The full path of the index file.</returns>
    public static string ExportPng(FashionMnistData data, string outputFolder, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        int n = count ?? data.Count;
        if (n < 0 || n > data.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The data set has {data.Count} images.");

        string folder = Path.GetFullPath(outputFolder);
        Directory.CreateDirectory(folder);

        var index = new StringBuilder();
        index.Append(ImagePathColumnName).Append('\t').Append(LabelColumnName).Append('\n');
        for (int row = 0; row < n; row++)
        {
            string fileName = string.Create(CultureInfo.InvariantCulture, $"image-{row:D5}.png");
            PngWriter.WriteGrayscale(Path.Combine(folder, fileName), data.GetImage(row), ImageWidth, ImageHeight);
            index.Append(fileName).Append('\t').Append(ClassNames[data.GetLabel(row)]).Append('\n');
        }

        // The index is written last and swapped in whole, so a reader never sees it name a missing image.
        string indexPath = Path.Combine(folder, PngIndexFileName);
        string partialPath = indexPath + ".partial";
        File.WriteAllText(partialPath, index.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(partialPath, indexPath, overwrite: true);
        return indexPath;
    }
}
