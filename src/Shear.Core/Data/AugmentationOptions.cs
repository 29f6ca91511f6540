namespace Shear.Data;

/// <summary>Training-time augmentation, applied to whole batches as tensor operations.</summary>
public sealed record AugmentationOptions
{
    /// <summary>Zero-pad by this many pixels and crop back at a random offset; 0 turns cropping off.</summary>
    public int CropPadding { get; init; }

    /// <summary>Mirror each image left-right with probability ½.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>No augmentation.</summary>
    public static AugmentationOptions None { get; } = new();

    /// <summary>Whether any augmentation is on.</summary>
    public bool Any => CropPadding > 0 || HorizontalFlip;
}
