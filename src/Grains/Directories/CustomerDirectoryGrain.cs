using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;

namespace CustomerGrains.Grains.Directories;

public sealed class CustomerDirectoryGrain : Grain, ICustomerDirectoryGrain
{
    private readonly IPersistentState<CustomerDirectoryState> _state;
    private readonly CoalescingWriter _writer;
    private readonly SortedSet<string> _ids = new(StringComparer.Ordinal);

    public CustomerDirectoryGrain(
        [PersistentState(StorageNames.DirectoryState, StorageNames.Provider)] IPersistentState<CustomerDirectoryState> state)
    {
        _state = state;
        _writer = new CoalescingWriter(WriteAsync);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ids.UnionWith(_state.State.CustomerIds);
        return Task.CompletedTask;
    }

    public Task AddAsync(string customerId) => _ids.Add(customerId) ? _writer.WriteAsync() : Task.CompletedTask;

    public Task RemoveAsync(string customerId) => _ids.Remove(customerId) ? _writer.WriteAsync() : Task.CompletedTask;

    public Task<long> CountAsync() => Task.FromResult((long)_ids.Count);

    public Task<ImmutableArray<string>> PageAsync(string? after, int limit)
    {
        return Task.FromResult(OrdinalPaging.After(_ids, after).Take(limit).ToImmutableArray());
    }

    private Task WriteAsync()
    {
        _state.State = new CustomerDirectoryState { CustomerIds = [.. _ids] };
        return _state.WriteStateAsync();
    }
}
