namespace CustomerGrains.Grains.Customers;

/// <summary>Which side of a merge or an unmerge a journal entry is (<see cref="IdentityChange"/>).</summary>
[GenerateSerializer, Alias("cg.IdentityChangeKind")]
public enum IdentityChangeKind
{
    /// <summary>On the secondary: it forwards to the primary from here on.</summary>
    MergedInto = 0,

    /// <summary>On the primary: it folded the secondary in.</summary>
    Absorbed = 1,

    /// <summary>On the secondary: it is a customer of its own again, with the behaviour carried.</summary>
    Unmerged = 2,

    /// <summary>On the primary: it gave the secondary (and the ids merged into it) back.</summary>
    Released = 3,
}
