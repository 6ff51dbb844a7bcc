namespace CustomerGrains.Api.Tracking;

/// <summary>
/// Section <c>CustomerGrains:Tracking</c>: the web pages each store's browser tracking runs on.
/// <c>Origins:&lt;store&gt;</c> lists origins (<c>https://shop.example</c>, <c>http://127.0.0.1:8080</c>): only pages of
/// those origins may send that store's tracking calls from a browser (CORS), and a call from any other page is refused
/// before anything is recorded. None by default: browsers can send no store's tracking calls until it is set.
/// </summary>
public sealed class TrackingOptions
{
    public const string Section = "CustomerGrains:Tracking";

    public Dictionary<string, List<string>> Origins { get; set; } = [];
}
