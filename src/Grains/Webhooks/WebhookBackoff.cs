namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// The wait before a batch's next attempt: <see cref="WebhookOptions.RetryBase"/> doubled per failed attempt, at most
/// <see cref="WebhookOptions.RetryCap"/>, and then its second half drawn at random ("equal jitter"), so receivers that came
/// back are not met by every sender at the same instant while each wait still grows. Pure.
/// </summary>
public static class WebhookBackoff
{
    /// <param name="failedAttempts">Attempts made so far (1 after the first failure).</param>
    /// <param name="retryBase">The wait after the first failure, before jitter.</param>
    /// <param name="retryCap">The longest wait, before jitter.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Delay(int failedAttempts, TimeSpan retryBase, TimeSpan retryCap, double random)
    {
        var doublings = Math.Clamp(failedAttempts - 1, 0, 40);
        var full = Math.Min(retryBase.Ticks * Math.Pow(2, doublings), retryCap.Ticks);
        return TimeSpan.FromTicks((long)((full / 2) + (full / 2 * random)));
    }
}
