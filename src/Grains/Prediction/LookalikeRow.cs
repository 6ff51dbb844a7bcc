namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// One customer as ML.NET reads it: its categorical values as tokens (see <see cref="LookalikeVocabulary"/>), its
/// numbers in the vocabulary's order (the training mean where it has none), its label and its example weight.
/// </summary>
internal sealed class LookalikeRow
{
    public bool Label { get; set; }

    public float Weight { get; set; } = 1;

    public string[] Tokens { get; set; } = [];

    public float[] Numbers { get; set; } = [];
}
