namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The residual networks the image-classification trainer can build. All of them take
/// images of any size of at least 8 by 8 pixels, because they end in a global average pool.
/// </summary>
public enum ResNetArchitecture
{
    /// <summary>CIFAR-style ResNet-8 (He et al. 2016): three stages of one basic block, 16/32/64 channels, about 78k parameters.</summary>
    ResNet8,

    /// <summary>CIFAR-style ResNet-20: three stages of three basic blocks, 16/32/64 channels, about 0.27M parameters.</summary>
    ResNet20,

    /// <summary>CIFAR-style ResNet-32: three stages of five basic blocks, 16/32/64 channels, about 0.47M parameters.</summary>
    ResNet32,

    /// <summary>CIFAR-style ResNet-56: three stages of nine basic blocks, 16/32/64 channels, about 0.86M parameters.</summary>
    ResNet56,

    /// <summary>
    /// ResNet-18 (basic blocks [2, 2, 2, 2], 64 to 512 channels, about 11M parameters) adapted to small
    /// images: a 3x3 stem of stride 1 and no max-pool, as is usual for CIFAR-sized inputs.
    /// </summary>
    ResNet18,
}
