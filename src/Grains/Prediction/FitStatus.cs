namespace CustomerGrains.Grains.Prediction;

/// <summary>How a model fit ended.</summary>
[GenerateSerializer, Alias("cg.FitStatus")]
public enum FitStatus
{
    /// <summary>The optimiser met its convergence test: the parameters maximise the likelihood.</summary>
    Converged,

    /// <summary>The optimiser stopped early (iteration limit, non-finite likelihood, no further progress); the parameters are the best it found and are not to be trusted blindly.</summary>
    NotConverged,

    /// <summary>Too few customers to fit the model; no parameters.</summary>
    TooLittleData,
}
