using System.Globalization;
using System.Text.Json;
using CustomerGrains.Grains.Feed;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// The body of a delivery: <c>{"type": "segment.membership", "store", "webhook", "changes": [...]}</c>, each change in the
/// shape <c>GET …/changes</c> gives it. Nothing in it depends on when it is sent, so a batch sent again is the same bytes.
/// </summary>
public static class WebhookPayload
{
    public const string Type = "segment.membership";

    public static byte[] Write(string store, string webhookId, IReadOnlyList<FeedChange> changes)
    {
        using var buffer = new MemoryStream(256 + (changes.Count * 256));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteString("store", store);
            json.WriteString("webhook", webhookId);
            json.WriteStartArray("changes");
            foreach (var change in changes)
            {
                json.WriteStartObject();
                json.WriteString("cursor", change.Cursor.Text);
                json.WriteNumber("seq", change.Seq);
                json.WriteString("segment", change.Segment);
                if (change.Version is { } version)
                {
                    json.WriteNumber("version", version);
                }
                else
                {
                    json.WriteNull("version");
                }

                json.WriteString("customerId", change.CustomerId);
                json.WriteString("kind", change.Entered ? WebhookKinds.Entered : WebhookKinds.Exited);
                json.WriteString("at", change.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                json.WriteString("cause", change.Cause);
                json.WriteBoolean("holdout", change.Holdout);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
