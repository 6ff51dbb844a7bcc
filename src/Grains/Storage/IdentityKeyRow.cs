namespace CustomerGrains.Grains.Storage;

/// <summary>
/// A change of a customer's claim on a matching-trait key (<c>cg_identity_keys</c>): <see cref="Held"/> claims it (the
/// first holder keeps it: a claim on a key another customer holds changes nothing), otherwise the customer lets its own
/// claim go. <see cref="Key"/> is a hash of the normalised value, never the value.
/// </summary>
public readonly record struct IdentityKeyRow(string Field, string Key, bool Held);
