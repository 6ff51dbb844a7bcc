namespace CustomerGrains.Grains.Customers;

/// <summary>How long a customer stays in memory without calls. Bound from configuration section <c>Customers</c>.</summary>
public sealed class CustomerActivationOptions
{
    public const string Section = "Customers";

    /// <summary>
    /// A customer that received no call for this long is deactivated and its memory given back (Orleans' collection age
    /// for the customer grain; its collector looks once a minute, so it happens up to a minute later). Its next call
    /// rebuilds it from its snapshot and journal. Orleans' default, 15 minutes, unless set.
    /// </summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(15);
}
