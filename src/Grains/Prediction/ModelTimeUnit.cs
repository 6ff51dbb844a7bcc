namespace CustomerGrains.Grains.Prediction;

/// <summary>The unit the purchase models measure time in; their parameters (α of the BG/NBD) are in this unit.</summary>
[GenerateSerializer, Alias("cg.ModelTimeUnit")]
public enum ModelTimeUnit
{
    Day,
    Week,
}
