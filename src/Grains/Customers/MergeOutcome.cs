namespace CustomerGrains.Grains.Customers;

/// <summary>What a merge or an unmerge did, or why it changed nothing.</summary>
[GenerateSerializer, Alias("cg.MergeOutcome")]
public enum MergeOutcome
{
    /// <summary>The secondary was merged into the primary.</summary>
    Merged = 0,

    /// <summary>It was merged into this customer before: nothing to do.</summary>
    AlreadyMerged = 1,

    /// <summary>The secondary is a customer of its own again.</summary>
    Unmerged = 2,

    /// <summary>A customer cannot be merged into itself.</summary>
    Self = 3,

    /// <summary>One of the ids is a blocked identifier value (<see cref="IdentityOptions.BlockedIds"/>).</summary>
    Blocked = 4,

    /// <summary>The merged customer would answer for more than <see cref="IdentityOptions.MaxIds"/> ids.</summary>
    TooManyIds = 5,

    /// <summary>The primary is merged (directly or not) into the secondary: the merge would make a cycle.</summary>
    Cycle = 6,

    /// <summary>No customer of the primary's id exists.</summary>
    UnknownPrimary = 7,

    /// <summary>No customer of the secondary's id exists.</summary>
    UnknownSecondary = 8,

    /// <summary>The secondary is merged into another customer.</summary>
    MergedElsewhere = 9,

    /// <summary>The secondary is itself running a merge or unmerge as a primary; retry.</summary>
    Busy = 10,

    /// <summary>One of the ids was erased and is suppressed.</summary>
    Suppressed = 11,

    /// <summary>Unmerge: the secondary is not merged directly into this customer.</summary>
    NotMerged = 12,
}
