// Trains a small English-to-German Transformer through the AutoAssist filter and prints BLEU and
// chrF on the first 500 test pairs (a few hundred steps only show that it learns; real quality
// takes tens of thousands). Run it from the repository root, after building the corpus and a tokenizer:
//   build/build-corpus.sh && build/build-tokenizer.sh --vocab 8000
//   dotnet run -c Release --project samples/TranslationDemo -- [--steps N] [--method Uniform|AutoAssist] [--seed N]
using Microsoft.ML;
using Microsoft.ML.AutoAssist;
using Microsoft.ML.Data;

int steps = 300, seed = 1;
string method = AutoAssistOptions.MethodName;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--steps": steps = int.Parse(args[i + 1]); break;
        case "--method": method = args[i + 1]; break;
        case "--seed": seed = int.Parse(args[i + 1]); break;
        default: throw new ArgumentException($"Unknown option {args[i]}. Options: --steps N, --method Uniform|AutoAssist, --seed N.");
    }
}

var ml = new MLContext(seed);
var train = TranslationCorpus.Load(ml, "data/corpus/en-de/train.tsv");
var test = ml.Data.TakeRows(TranslationCorpus.Load(ml, "datasets/translation-en-de/test.tsv"), 500);

var pipeline = ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Selection = SelectionMethods.Create(method), SourceColumnName = "Source", TargetColumnName = "Target", Seed = seed })
    .Append(ml.Translation().Trainers.Transformer(new TranslationTrainerOptions
    {
        TokenizerModelPath = "data/tokenizer/en-de-bpe-8000.model",
        // A model small enough for a CPU; the defaults (3 + 3 layers, d 256) want a GPU or patience.
        EncoderLayers = 2,
        DecoderLayers = 2,
        ModelDimension = 128,
        FeedForwardDimension = 512,
        MaxSourceLength = 64,
        MaxTargetLength = 64,
        BatchSize = 128,
        MaxTokensPerBatch = 2048,
        MaxSteps = steps,
        BeamSize = 1,
        MaxTranslationLength = 64,
        Seed = seed,
        Progress = new Progress<TrainingProgress>(p => { if (p.EndOfEpoch || p.Step % 200 == 0) Console.WriteLine($"  {p}"); }),
    }));
Console.WriteLine($"Training a Transformer for {steps} steps with {method} selection...");
var model = pipeline.Fit(train);

var scored = model.Transform(test);
var metrics = ml.Translation().Evaluate(scored, labelColumnName: "Target", scoreColumnName: "Translation");
var report = model.LastTransformer.TrainingReport!;
Console.WriteLine($"Test: {metrics}; {report.TrainingTime.TotalMinutes:F1} min, {report.EquivalentEpochs:F2} epochs of Boss compute.");
var examples = test.GetColumn<string>("Source").Take(3).ToArray();
foreach (var (source, translation) in examples.Zip(model.LastTransformer.Translate(examples)))
    Console.WriteLine($"  {source}\n  → {translation}");
