namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// How <see cref="LookalikeTrainer"/> trains: the fewest positives and negatives worth learning from, the share of
/// each class held out to measure the model, the seed of the split and of the trainer, and how many values of one
/// categorical feature are kept (by frequency; the rest become <see cref="LookalikeModel.Other"/>), and the strength of
/// the L1 and L2 penalties on the weights (see <see cref="LookalikeTrainer"/>).
/// </summary>
public sealed record LookalikeOptions(
    int MinPositives = 20,
    int MinNegatives = 20,
    double HeldOutShare = 0.2,
    int Seed = 1,
    int MaxCategoryValues = 50,
    double L1Regularization = 1,
    double L2Regularization = 1)
{
    /// <summary>Why these options cannot stand, or null.</summary>
    public string? Problem() =>
        MinPositives < 1 || MinNegatives < 1 ? "MinPositives and MinNegatives must be at least 1"
        : !(HeldOutShare >= 0 && HeldOutShare < 1) ? "HeldOutShare must be at least 0 and less than 1"
        : MaxCategoryValues < 1 ? "MaxCategoryValues must be at least 1"
        : !(L1Regularization >= 0 && L2Regularization >= 0 && double.IsFinite(L1Regularization) && double.IsFinite(L2Regularization))
            ? "L1Regularization and L2Regularization must be finite and at least 0"
        : null;
}
