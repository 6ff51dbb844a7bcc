namespace CustomerGrains.Grains.Prediction;

/// <summary>What ML.NET's own prediction engine answers for a <see cref="LookalikeRow"/>: the reference the extracted model is tested against.</summary>
internal sealed class LookalikePrediction
{
    public float Probability { get; set; }
}
