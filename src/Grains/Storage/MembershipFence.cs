using System.Data.Common;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// Keeps a silo the cluster has declared dead from committing journal entries. A silo frozen (SIGSTOP, a long
/// pause, a partition) is declared dead and its customers are activated elsewhere; when it thaws it still holds
/// their stale activations and runs the requests that were queued when it stopped, until it reads its own death.
/// Every journal transaction of a cluster silo therefore ends by reading this silo's membership row with a share
/// lock: a declared-dead silo finds its row marked dead and commits nothing, and a declaration waits for a
/// commit already under way, so whatever a new activation replays includes it — but never longer than
/// <see cref="IdleLockLimit"/> for a silo that froze between its batch and its COMMIT.
/// </summary>
public sealed class MembershipFence(ILocalSiloDetails silo, IOptions<ClusterOptions> cluster)
{
    // Orleans' SiloStatus.Dead, as the clustering provider stores it.
    private const string Sql = """
        SELECT 1 FROM OrleansMembershipTable
         WHERE DeploymentId = @fence_cluster AND Address = @fence_address AND Port = @fence_port AND Generation = @fence_generation
           AND Status <> 6
           FOR SHARE
        """;

    /// <summary>
    /// How long the share lock may outlive a silo that stopped mid-commit. A silo frozen between its batch and
    /// its COMMIT leaves the transaction idle with the lock held, and the others' declaration of its death — an
    /// update of that very row — would wait for it for ever: PostgreSQL ends such a session after this long.
    /// A live silo's journal transaction is one round trip plus COMMIT, never idle for anything near it.
    /// </summary>
    public const string IdleLockLimit = "10s";

    // SET LOCAL: for this transaction only, whatever else the pooled connection is used for.
    private const string BoundLockSql = $"SET LOCAL idle_in_transaction_session_timeout = '{IdleLockLimit}'";

    /// <summary>Adds the bound on the lock as the batch's first statement (it holds for the whole transaction).</summary>
    public void AddBoundTo(DbBatch batch)
    {
        var bound = batch.CreateBatchCommand();
        bound.CommandText = BoundLockSql;
        batch.BatchCommands.Add(bound);
    }

    /// <summary>
    /// Adds the check as the batch's last statement, right before COMMIT: the lock is held only from there on.
    /// PostgreSQL runs a batch's statements as their messages arrive, and a silo frozen while still sending a
    /// large batch is not "idle in transaction", so a lock taken at the start could be held for as long as the
    /// freeze lasts, and with it every vote and death declaration on this silo's row.
    /// </summary>
    public void AddCheckTo(DbBatch batch)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = Sql;
        var address = silo.SiloAddress;
        Add(command, "fence_cluster", cluster.Value.ClusterId);
        Add(command, "fence_address", address.Endpoint.Address.ToString());
        Add(command, "fence_port", address.Endpoint.Port);
        Add(command, "fence_generation", address.Generation);
        batch.BatchCommands.Add(command);
    }

    /// <summary>Reads the check's result set (the reader is on it); throws when this silo may no longer commit.</summary>
    public async Task VerifyAsync(DbDataReader reader)
    {
        if (!await reader.ReadAsync())
        {
            throw new SiloDeclaredDeadException(silo.SiloAddress.ToString());
        }
    }

    private static void Add(DbBatchCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
