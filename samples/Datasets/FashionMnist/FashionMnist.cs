namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Reads Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017) from its four gzipped IDX files, as installed
/// by the Debian package dataset-fashion-mnist or downloaded from github.com/zalandoresearch/fashion-mnist:
/// 28 × 28 grayscale images of clothing in ten classes, 60,000 for training and 10,000 for testing.
/// </summary>
/// <example>
/// <code>
/// var mlContext = new MLContext(seed: 1);
/// IDataView train = FashionMnist.Load(mlContext, FashionMnistSplit.Train);
/// // "Label": key over FashionMnist.ClassNames; "Pixels": 784 floats in [0, 1].
/// </code>
/// </example>
public static partial class FashionMnist
{
    /// <summary>Image height in pixels.</summary>
    public const int ImageHeight = 28;

    /// <summary>Image width in pixels.</summary>
    public const int ImageWidth = 28;

    /// <summary>Pixels per image (<see cref="ImageHeight"/> × <see cref="ImageWidth"/>, one channel).</summary>
    public const int PixelCount = ImageHeight * ImageWidth;

    /// <summary>The number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>
    /// The name of the label column: a key (<see cref="uint"/>, <see cref="ClassCount"/> values) whose
    /// KeyValues annotation holds <see cref="ClassNames"/>.
    /// </summary>
    public const string LabelColumnName = "Label";

    /// <summary>
    /// The name of the pixel column: a known-size vector of <see cref="PixelCount"/> floats in [0, 1]
    /// (gray level / 255; 0 is background), row-major, with dimensions 1 × 28 × 28 (channel, height, width).
    /// </summary>
    public const string PixelsColumnName = "Pixels";

    /// <summary>The environment variable that names the folder of the four .gz files.</summary>
    public const string DirectoryEnvironmentVariable = "FASHION_MNIST_DIR";

    /// <summary>Where the Debian package dataset-fashion-mnist installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    private const string HowToGetTheData =
        "Run build/setup-data.sh, or install the Debian package dataset-fashion-mnist " +
        "(apt-get install dataset-fashion-mnist), or download the four *-ubyte.gz files from " +
        "https://github.com/zalandoresearch/fashion-mnist and set " + DirectoryEnvironmentVariable + " to their folder.";

    /// <summary>
    /// The class names, indexed by label: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt,
    /// Sneaker, Bag, Ankle boot. Key value k of the label column is class k - 1.
    /// </summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    });

    /// <summary>
    /// Finds the folder holding the Fashion-MNIST files: <paramref name="directory"/> when given,
    /// else the folder named by the environment variable FASHION_MNIST_DIR when set, else
    /// <see cref="DefaultDirectory"/>. The first of these that is given is used, with no fallback.
    /// </summary>
    /// <param name="directory">A folder to use instead of the environment variable and the default.</param>
    /// <returns>The folder's full path.</returns>
    /// <exception cref="DirectoryNotFoundException">The chosen folder does not exist; the message says how to get the data.</exception>
    public static string LocateDirectory(string? directory = null)
        => LocateDirectory(directory, Environment.GetEnvironmentVariable(DirectoryEnvironmentVariable));

    internal static string LocateDirectory(string? directory, string? environmentValue)
    {
        string chosen;
        string origin;
        if (!string.IsNullOrWhiteSpace(directory))
        {
            chosen = directory;
            origin = "the folder given";
        }
        else if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            chosen = environmentValue;
            origin = $"the folder named by {DirectoryEnvironmentVariable}";
        }
        else
        {
            chosen = DefaultDirectory;
            origin = $"the default folder; {DirectoryEnvironmentVariable} is not set";
        }

        if (!Directory.Exists(chosen))
            throw new DirectoryNotFoundException($"The Fashion-MNIST data folder '{chosen}' ({origin}) does not exist. {HowToGetTheData}");
        return Path.GetFullPath(chosen);
    }

    /// <summary>The file name of the images of <paramref name="split"/> (e.g. train-images-idx3-ubyte.gz).</summary>
    public static string GetImagesFileName(FashionMnistSplit split) => $"{FilePrefix(split)}-images-idx3-ubyte.gz";

    /// <summary>The file name of the labels of <paramref name="split"/> (e.g. train-labels-idx1-ubyte.gz).</summary>
    public static string GetLabelsFileName(FashionMnistSplit split) => $"{FilePrefix(split)}-labels-idx1-ubyte.gz";

    /// <summary>
    /// Loads a split as an ML.NET <see cref="IDataView"/> with two columns: "Label", a key over the ten
    /// classes whose KeyValues annotation holds <see cref="ClassNames"/> (so MapKeyToValue and
    /// PredictedLabel give names), and "Pixels", a vector of 784 floats in [0, 1] (row-major 28 × 28,
    /// one channel, dimensions 1 × 28 × 28). Rows are in file order; a row's id is its index.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="split">Training or test images.</param>
    /// <param name="directory">The folder of the .gz files; see <see cref="LocateDirectory(string?)"/>.</param>
    /// <param name="maxRows">Read only the first this many rows; all when null.</param>
    /// <exception cref="DirectoryNotFoundException">The data folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is not gzip, has the wrong magic number or image size, is truncated, or images and labels disagree in number.</exception>
    public static IDataView Load(MLContext mlContext, FashionMnistSplit split, string? directory = null, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return LoadData(split, directory, maxRows).ToDataView();
    }

    /// <summary>
    /// Loads a split as raw bytes (<see cref="FashionMnistData"/>), the fast path for code that feeds
    /// tensors directly; <see cref="FashionMnistData.ToDataView"/> turns it into the view
    /// <see cref="Load"/> returns.
    /// </summary>
    /// <param name="split">Training or test images.</param>
    /// <param name="directory">The folder of the .gz files; see <see cref="LocateDirectory(string?)"/>.</param>
    /// <param name="maxRows">Read only the first this many rows; all when null.</param>
    /// <exception cref="DirectoryNotFoundException">The data folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is not gzip, has the wrong magic number or image size, is truncated, or images and labels disagree in number.</exception>
    public static FashionMnistData LoadData(FashionMnistSplit split, string? directory = null, int? maxRows = null)
    {
        if (maxRows is < 0)
            throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "The number of rows to read cannot be negative.");

        string folder = LocateDirectory(directory);
        string imagesPath = Path.Combine(folder, GetImagesFileName(split));
        string labelsPath = Path.Combine(folder, GetLabelsFileName(split));

        // Both headers are checked before the 47 MB of training pixels are decompressed.
        using var images = IdxFile.Open(imagesPath, IdxFile.ImagesMagic, HowToGetTheData);
        using var labels = IdxFile.Open(labelsPath, IdxFile.LabelsMagic, HowToGetTheData);

        if (images.Dimensions[1] != ImageHeight || images.Dimensions[2] != ImageWidth)
        {
            throw new InvalidDataException(
                $"'{imagesPath}' holds {images.Dimensions[1]}x{images.Dimensions[2]} images; Fashion-MNIST images are {ImageHeight}x{ImageWidth}.");
        }
        if (images.ItemCount != labels.ItemCount)
        {
            throw new InvalidDataException(
                $"'{imagesPath}' declares {images.ItemCount} images but '{labelsPath}' declares {labels.ItemCount} labels; " +
                "the two files of a split must hold the same number of items. Download or reinstall them together.");
        }

        int count = Math.Min(images.ItemCount, maxRows ?? int.MaxValue);
        byte[] labelBytes = labels.ReadItems(count);
        byte[] pixelBytes = images.ReadItems(count);
        return FashionMnistData.FromOwnedArrays(pixelBytes, labelBytes, labelsPath);
    }

    private static string FilePrefix(FashionMnistSplit split) => split switch
    {
        FashionMnistSplit.Train => "train",
        FashionMnistSplit.Test => "t10k",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Fashion-MNIST has a Train and a Test split."),
    };
}
