namespace CustomerGrains.Grains.Storage;

/// <summary>
/// The writes to membership rows that are not a customer's decision (those go through the journal commit):
/// a segment dropping the rows of versions it no longer serves or builds.
/// </summary>
public sealed class MemberRowWriter(StoreDatabase database)
{
    /// <summary>Removes the member rows of a segment's versions other than the ones kept (none: all).</summary>
    public async Task DropOtherVersionsAsync(string store, string segmentId, params Guid[] keep)
    {
        using var gate = await database.EnterWriteAsync();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM cg_members WHERE store = @store AND segment = @segment AND segment_uid <> @first AND segment_uid <> @second";
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "segment", segmentId);
        StoreDatabase.Parameter(command, "first", keep.Length > 0 ? keep[0].ToString("N") : "");
        StoreDatabase.Parameter(command, "second", keep.Length > 1 ? keep[1].ToString("N") : "");
        await command.ExecuteNonQueryAsync();
    }
}
