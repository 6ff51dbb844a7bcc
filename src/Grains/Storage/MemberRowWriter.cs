namespace CustomerGrains.Grains.Storage;

/// <summary>
/// The writes to membership rows that are not a customer's decision (those go through the journal commit):
/// a segment dropping the rows of versions it no longer serves or builds, a shard pruning old tombstones.
/// </summary>
public sealed class MemberRowWriter(StoreDatabase database)
{
    /// <summary>Removes the member rows (and tombstones) of a segment's versions other than the ones kept (none: all).</summary>
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

    /// <summary>
    /// Removes a shard's tombstones of leaves before <paramref name="before"/>. Safe against the commits running
    /// beside it: a customer who joined again since has a member row, one who left again a later tombstone, and
    /// neither matches.
    /// </summary>
    public async Task PruneLeavesAsync(string store, Guid segmentUid, int shard, DateTimeOffset before)
    {
        using var gate = await database.EnterWriteAsync();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM cg_members
             WHERE store = @store AND segment_uid = @uid AND shard = @shard AND NOT is_member AND entered_at < @before
            """;
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "uid", segmentUid.ToString("N"));
        StoreDatabase.Parameter(command, "shard", shard);
        StoreDatabase.Parameter(command, "before", before.UtcTicks);
        await command.ExecuteNonQueryAsync();
    }
}
