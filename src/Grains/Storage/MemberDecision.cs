namespace CustomerGrains.Grains.Storage;

/// <summary>The membership row a batch stores for one (store, segment version, customer): its last decision in the batch.</summary>
public sealed record MemberDecision(string Store, string Customer, StoredMember Row);
