namespace CustomerGrains.Grains.Segments;

public enum CatalogOutcome
{
    Ok = 0,
    NotFound = 1,
    AlreadyExists = 2,
    InvalidRule = 3,
    LimitReached = 4,
    InUse = 5,
}
