using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using CustomerGrains.Grains.Feed;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// A webhook's changes after <see cref="After"/> up to <see cref="Through"/> (the feed position it was read to, which may lie
/// past its last change when later ones were not the webhook's).
/// </summary>
public sealed record WebhookBatch(ChangeCursor? After, ChangeCursor Through, ImmutableArray<FeedChange> Changes)
{
    /// <summary>
    /// The batch's <c>webhook-id</c>: the same whenever the same changes are sent again (a retry, a replay, a batch read
    /// again after a restart), so a receiver can drop a repeat. It is made from the webhook and the batch's first and last
    /// changes — not its first alone: a batch read again after a restart may hold more changes than the one sent before,
    /// and a receiver that dropped it as a repeat would lose them.
    /// </summary>
    public static string MessageId(Guid webhook, FeedChange first, FeedChange last)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{webhook:N}.{first.Cursor.Text}.{last.Cursor.Text}"));
        return "msg_" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    public string MessageId(Guid webhook) => MessageId(webhook, Changes[0], Changes[^1]);
}
