namespace CustomerGrains.Grains.Customers;

/// <summary>What a primary freezes a customer for (<see cref="FreezeRequest"/>); each asks the customer to be in a given place.</summary>
[GenerateSerializer, Alias("cg.FreezeIntent")]
public enum FreezeIntent
{
    /// <summary>It is to be merged into the primary: it must be a customer of its own.</summary>
    Merge = 0,

    /// <summary>It is to be given back by the primary: it must be merged into it.</summary>
    Unmerge = 1,

    /// <summary>It is erased with the person it was merged into: it must be merged somewhere.</summary>
    Erase = 2,
}
