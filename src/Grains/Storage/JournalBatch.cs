namespace CustomerGrains.Grains.Storage;

/// <summary>
/// A batch of journal writes reduced to the rows a set-at-a-time commit stores, as if the writes had run one by
/// one in batch order: the last decision per member row and per deadline, each customer registered once, erasures
/// first. Pure (no database), so what a batch means is tested without one.
/// </summary>
public sealed class JournalBatch
{
    private readonly HashSet<(string Store, string Customer)> _registered = [];

    public JournalBatch(IReadOnlyList<JournalWrite> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var write = batch[i];
            var customer = (write.Store, write.CustomerId);
            if (write.Entry is { } entry)
            {
                if (entry.Erased)
                {
                    Erase(customer);
                }

                Appends.Add(i);
                foreach (var row in entry.Members)
                {
                    Members[(write.Store, row.SegmentUid, write.CustomerId)] = new MemberDecision(write.Store, write.CustomerId, row);
                }
            }

            if (write.Register && _registered.Add(customer))
            {
                Registers.Add(customer);
                Unregisters.Remove(customer);
            }

            if (write.Unregister)
            {
                _registered.Remove(customer);
                Registers.Remove(customer);
                if (!Unregisters.Contains(customer))
                {
                    Unregisters.Add(customer);
                }
            }

            if (write.TrimThrough is not null)
            {
                Trims.Add(write);
            }

            if (write.Deadline is { } deadline)
            {
                Deadlines[customer] = deadline;
            }

            if (write.Purchases is { } purchases)
            {
                Purchases[customer] = purchases;
            }
        }
    }

    /// <summary>Customers erased in this batch: their rows are deleted before anything else of the batch is stored.</summary>
    public List<(string Store, string Customer)> Erased { get; } = [];

    /// <summary>Indexes into the batch of the writes with an entry, in batch order (the order their sequence numbers follow).</summary>
    public List<int> Appends { get; } = [];

    /// <summary>Each member row's last decision in the batch.</summary>
    public Dictionary<(string Store, Guid SegmentUid, string Customer), MemberDecision> Members { get; } = [];

    /// <summary>Customers to register, each once, in the order first asked.</summary>
    public List<(string Store, string Customer)> Registers { get; } = [];

    /// <summary>Customers to remove from the index, each once: those whose last say in the batch was to leave it.</summary>
    public List<(string Store, string Customer)> Unregisters { get; } = [];

    /// <summary>The writes that trim, in batch order (a trim only ever removes more, so all of them apply).</summary>
    public List<JournalWrite> Trims { get; } = [];

    /// <summary>Each customer's last deadline in the batch (a null due: cleared).</summary>
    public Dictionary<(string Store, string Customer), DeadlineChange> Deadlines { get; } = [];

    /// <summary>Each customer's last purchase row in the batch (empty: none, the row goes).</summary>
    public Dictionary<(string Store, string Customer), PurchaseRow> Purchases { get; } = [];

    private void Erase((string Store, string Customer) customer)
    {
        // The erasure's deletes run before every other statement: what this customer decided earlier in the batch
        // must go with it. (Erasure waits for a customer's earlier writes, so this is a safeguard.)
        Erased.Add(customer);
        foreach (var key in Members.Keys.Where(k => k.Store == customer.Store && k.Customer == customer.Customer).ToList())
        {
            Members.Remove(key);
        }

        Deadlines.Remove(customer);
        Purchases.Remove(customer);
        Registers.Remove(customer);
        _registered.Remove(customer);
    }
}
