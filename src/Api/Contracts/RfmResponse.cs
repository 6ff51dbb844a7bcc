namespace CustomerGrains.Api.Contracts;

/// <summary>RFM scores 1–5 and the class from the R×F map.</summary>
public sealed record RfmResponse(int R, int F, int M, string Class);
