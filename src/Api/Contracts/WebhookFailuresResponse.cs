using CustomerGrains.Grains.Webhooks;

namespace CustomerGrains.Api.Contracts;

/// <summary>A webhook's dead letters, oldest first.</summary>
public sealed record WebhookFailuresResponse(IReadOnlyList<WebhookFailureResponse> Items);

/// <summary>
/// A batch given up on: <c>messageId</c> is the <c>webhook-id</c> it was sent (and is replayed) as; its changes are the
/// webhook's after <c>after</c> (null: the feed's start) up to <c>through</c>, feed cursors; <c>replaying</c> while a replay
/// is pending.
/// </summary>
public sealed record WebhookFailureResponse(
    string MessageId, int Changes, int Attempts, string LastError, DateTimeOffset FailedAt, bool Replaying, string? After, string Through)
{
    public static WebhookFailureResponse From(DeadLetter letter) => new(
        letter.MessageId, letter.Changes, letter.Attempts, letter.LastError, letter.FailedAt, letter.Replay, letter.After?.Text, letter.Through.Text);
}

/// <summary>How many dead letters will be sent again.</summary>
public sealed record WebhookReplayResponse(int Queued);
