using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Models;

/// <summary>How a store's purchase models are fitted and used. Section <c>CustomerGrains:Models</c>.</summary>
public sealed class ModelOptions
{
    public const string Section = "Models";

    /// <summary>A store's models are refitted once they are this old (by the engine's clock).</summary>
    public TimeSpan RefitEvery { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often each silo looks for stores whose models are due (by the host's clock).</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The time unit of a fit that does not name one.</summary>
    public ModelTimeUnit TimeUnit { get; set; } = ModelTimeUnit.Week;

    /// <summary>Fewer customers with a repeat purchase than this, and the fit reports too little data instead of parameters.</summary>
    public int MinRepeatBuyers { get; set; } = 100;

    /// <summary>The horizon of the predicted value (CLV).</summary>
    public TimeSpan ClvHorizon { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The yearly rate future value is discounted at in the CLV (0.1 = 10 % a year).</summary>
    public double AnnualDiscountRate { get; set; } = 0.10;
}
