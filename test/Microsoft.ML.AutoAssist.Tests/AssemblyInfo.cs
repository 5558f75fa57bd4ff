using Xunit;

// TorchSharp's global random stream and thread-count settings are process-wide; tests that check
// determinism must not interleave with others, so test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
