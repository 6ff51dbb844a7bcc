namespace CustomerGrains.Grains.Storage;

/// <summary>A customer's next deadline (null: none), stored in its deadline shard's rows.</summary>
public sealed record DeadlineChange(int Shard, DateTimeOffset? Due);
