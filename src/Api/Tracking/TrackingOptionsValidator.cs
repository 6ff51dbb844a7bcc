using Microsoft.Extensions.Options;

namespace CustomerGrains.Api.Tracking;

/// <summary>Checks <see cref="TrackingOptions"/> at start, with a message naming the bad setting.</summary>
public sealed class TrackingOptionsValidator : IValidateOptions<TrackingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrackingOptions options) => TrackingOrigins.Validate(options);
}
