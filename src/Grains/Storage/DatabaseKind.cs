namespace CustomerGrains.Grains.Storage;

public enum DatabaseKind
{
    Sqlite = 0,
    PostgreSql = 1,
}
