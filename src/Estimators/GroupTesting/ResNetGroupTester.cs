using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>The trained <see cref="GroupTestingNetwork"/> behind the algorithms (inference mode, no gradients).</summary>
internal sealed class ResNetGroupTester : IGroupTester
{
    private readonly object _gate = new();
    private readonly (long Early, long Middle, long Late) _macs;

    public ResNetGroupTester(GroupTestingNetwork network, ResNetArchitecture architecture, int widthMultiplier, ImageShape shape, Device device)
    {
        Network = network;
        Architecture = architecture;
        WidthMultiplier = widthMultiplier;
        Shape = shape;
        Device = device;
        _macs = network.ResNet.MultiplyAccumulates(shape.Height, shape.Width);
    }

    public GroupTestingNetwork Network { get; }

    /// <summary>The ResNet the network is built on (saved with the model).</summary>
    public ResNetArchitecture Architecture { get; }

    /// <summary>The ResNet's width multiplier (saved with the model).</summary>
    public int WidthMultiplier { get; }

    public ImageShape Shape { get; }

    public Device Device { get; }

    public int RowLength => Shape.PixelCount;

    public long IndividualMultiplyAccumulates => _macs.Early + _macs.Middle + _macs.Late;

    public IGroupTestSession Begin(ReadOnlyMemory<float> rows, int count, GroupTestingStatistics statistics)
    {
        // One batch at a time: the module's train/eval flag is shared state.
        Monitor.Enter(_gate);
        try
        {
            Network.eval();
            Tensor encoded;
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var images = tensor(rows[..(count * RowLength)].ToArray(), [count, Shape.Channels, Shape.Height, Shape.Width]).to(Device);
                encoded = Network.Encode(images).MoveToOuterDisposeScope();
            }
            // Feature and tree merge pay for each sample's early layers once per batch, whatever the rounds.
            if (Network.Design != GroupTestingDesign.PixelMerge)
                statistics.AddTests(0, count * _macs.Early);
            return new Session(this, encoded, statistics);
        }
        catch
        {
            Monitor.Exit(_gate);
            throw;
        }
    }

    private sealed class Session(ResNetGroupTester tester, Tensor encoded, GroupTestingStatistics statistics) : IGroupTestSession
    {
        public float[] Test(IReadOnlyList<int[]> groups)
        {
            if (groups.Count == 0)
                return [];
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var logits = tester.Network.GroupLogits(encoded, groups);
            // The logit of "positive" against "negative": one number, above zero means positive.
            var margin = (logits[.., 1] - logits[.., 0]).cpu();
            statistics.AddTests(groups.Count, groups.Sum(g => GroupTestingNetwork.TestMultiplyAccumulates(tester.Network.Design, tester._macs, g.Length)));
            return margin.data<float>().ToArray();
        }

        public void Dispose()
        {
            encoded.Dispose();
            Monitor.Exit(tester._gate);
        }
    }
}
