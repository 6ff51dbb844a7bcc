namespace CustomerGrains.Grains.Behaviour;

/// <summary>The event types the engine gives meaning to; any other <c>[a-z][a-z0-9_]{0,63}</c> type is custom.</summary>
public static class EventTypes
{
    public const string Identify = "identify";
    public const string Visit = "visit";
    public const string ProductViewed = "product_viewed";
    public const string CartAdded = "cart_added";
    public const string CheckoutStarted = "checkout_started";
    public const string OrderCompleted = "order_completed";
    public const string OrderRefunded = "order_refunded";
    public const string PromotionViewed = "promotion_viewed";
    public const string PromotionClicked = "promotion_clicked";
    public const string EmailOpened = "email_opened";
    public const string EmailClicked = "email_clicked";

    /// <summary>Whether events of this type change the customer's orders and refunds (and so revenue, tiers, lifecycle).</summary>
    public static bool IsPurchase(string type) => type is OrderCompleted or OrderRefunded;

    /// <summary>Profile traits the README names; others are custom traits.</summary>
    public static readonly IReadOnlySet<string> KnownProfileTraits = new HashSet<string>(StringComparer.Ordinal)
    {
        "email", "phone", "firstName", "lastName", "birthDate", "gender", "country", "region", "city",
        "postalCode", "incomeBand", "occupation", "interests",
    };
}
