namespace CustomerGrains.Grains.Prediction;

/// <summary>How a lookalike training ended.</summary>
public enum LookalikeStatus
{
    /// <summary>A model was trained.</summary>
    Trained,

    /// <summary>Too few segment members or too few other customers to learn from; no model.</summary>
    TooFewExamples,

    /// <summary>The examples carry no category and no number to learn from; no model.</summary>
    NoVariables,
}
