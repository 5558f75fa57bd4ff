using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A binary ResNet ("is any member positive?") that tests groups of samples in one forward pass,
/// merging them as <see cref="Design"/> says. No parameters beyond the ResNet's: merging is an
/// average or an element-wise max. Logit index 1 is "positive".
/// </summary>
internal sealed class GroupTestingNetwork : Module<Tensor, Tensor>
{
    /// <summary>Tree merge max-merges sub-groups of this many samples after the early layers.</summary>
    public const int TreeBranching = 4;

    private readonly ResNet resnet;

    public GroupTestingNetwork(ResNet resnet, GroupTestingDesign design) : base(nameof(GroupTestingNetwork))
    {
        this.resnet = resnet;
        Design = design;
        RegisterComponents();
    }

    public GroupTestingDesign Design { get; }

    public ResNet ResNet => resnet;

    /// <summary>Every sample tested on its own: (N, C, H, W) to (N, 2) logits.</summary>
    public override Tensor forward(Tensor input) => resnet.forward(input);

    /// <summary>
    /// What is computed once per sample and reused by every test of a batch: the early features for
    /// feature and tree merge, the images themselves for pixel merge.
    /// </summary>
    public Tensor Encode(Tensor images) => Design == GroupTestingDesign.PixelMerge ? images.alias() : resnet.ForwardEarly(images);

    /// <summary>One (G, 2) logit row per group of indices into <paramref name="encoded"/>.</summary>
    public Tensor GroupLogits(Tensor encoded, IReadOnlyList<int[]> groups)
    {
        using var scope = NewDisposeScope();
        var device = encoded.device;
        Tensor Members(int[] rows) => encoded.index_select(0, tensor(rows.Select(r => (long)r).ToArray(), device: device));

        Tensor logits;
        switch (Design)
        {
            case GroupTestingDesign.PixelMerge:
                logits = resnet.forward(stack(groups.Select(g => Members(g).mean([0L])).ToArray()));
                break;
            case GroupTestingDesign.FeatureMerge:
                logits = resnet.ForwardRest(resnet.ForwardMiddle(stack(groups.Select(g => Members(g).amax([0L])).ToArray())));
                break;
            default:
                // Tree merge: max over sub-groups, the middle stage once per sub-group, max over the
                // group's sub-groups, then the rest once per group.
                var subgroups = groups.Select(g => g.Chunk(TreeBranching).ToArray()).ToArray();
                var middle = resnet.ForwardMiddle(stack(subgroups.SelectMany(s => s).Select(sub => Members(sub).amax([0L])).ToArray()));
                var merged = new List<Tensor>(groups.Count);
                long start = 0;
                foreach (var s in subgroups)
                {
                    merged.Add(middle.narrow(0, start, s.Length).amax([0L]));
                    start += s.Length;
                }
                logits = resnet.ForwardRest(stack(merged.ToArray()));
                break;
        }
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>Multiply-accumulates of one test of <paramref name="groupSize"/> samples whose encoding is already paid for.</summary>
    public static long TestMultiplyAccumulates(GroupTestingDesign design, (long Early, long Middle, long Late) macs, int groupSize) => design switch
    {
        GroupTestingDesign.PixelMerge => macs.Early + macs.Middle + macs.Late,
        GroupTestingDesign.FeatureMerge => macs.Middle + macs.Late,
        _ => (groupSize + TreeBranching - 1) / TreeBranching * macs.Middle + macs.Late,
    };
}
