using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Prediction;

/// <summary>The planted store (<see cref="LookalikeStore"/>, 5,000 customers) trained once for the tests that read its model.</summary>
public sealed class LookalikePlantedStore
{
    internal LookalikeFit Fit { get; } = LookalikeTrainer.Fit(LookalikeStore.Customers(5_000, seed: 42));

    public LookalikeTraining Training => Fit.Training;

    public LookalikeModel Model => Training.Model!;
}
