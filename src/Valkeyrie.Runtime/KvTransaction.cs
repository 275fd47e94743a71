namespace Valkeyrie;

/// <summary>
/// A batch of checks and writes applied all or nothing by <see cref="IKvStore.CommitAsync"/>.
/// Keys are validated as they are added, so a bad key fails before anything is sent.
/// </summary>
public sealed class KvTransaction
{
    private readonly List<KvTransactionOperation> _operations = [];

    /// <summary>The checks and writes in the order they were added.</summary>
    public IReadOnlyList<KvTransactionOperation> Operations => _operations;

    /// <summary>Adds a check that the key's index equals <paramref name="index"/>; 0 checks that the key is absent.</summary>
    /// <param name="key">The key to check.</param>
    /// <param name="index">The expected index, or 0 for absent.</param>
    public KvTransaction CheckIndex(string key, ulong index) =>
        Add(new KvTransactionOperation(KvTransactionOperationKind.CheckIndex, KvKeys.Normalize(key), default, index, null));

    /// <summary>Adds a check that the key does not exist.</summary>
    /// <param name="key">The key to check.</param>
    public KvTransaction CheckAbsent(string key) => CheckIndex(key, 0);

    /// <summary>Adds an unconditional write.</summary>
    /// <param name="key">The key to write.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Write options; TTL is supported, keep-alive is not (it belongs to a single put).</param>
    public KvTransaction Put(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null)
    {
        if (options is not null)
        {
            options.Validate();
            if (options.KeepAlive)
            {
                throw new ArgumentException("KeepAlive is not supported inside a transaction; write the key with PutAsync to keep it alive.", nameof(options));
            }
        }

        return Add(new KvTransactionOperation(KvTransactionOperationKind.Put, KvKeys.Normalize(key), value, 0, options));
    }

    /// <summary>Adds a delete of one key (a missing key is not an error).</summary>
    /// <param name="key">The key to delete.</param>
    public KvTransaction Delete(string key) =>
        Add(new KvTransactionOperation(KvTransactionOperationKind.Delete, KvKeys.Normalize(key), default, 0, null));

    private KvTransaction Add(KvTransactionOperation operation)
    {
        _operations.Add(operation);
        return this;
    }
}

/// <summary>What a transaction operation does.</summary>
public enum KvTransactionOperationKind
{
    /// <summary>Check a key's index (0 = absent).</summary>
    CheckIndex,

    /// <summary>Write a key.</summary>
    Put,

    /// <summary>Delete a key.</summary>
    Delete,
}

/// <summary>One check or write of a <see cref="KvTransaction"/>.</summary>
/// <param name="Kind">The operation.</param>
/// <param name="Key">The canonical key.</param>
/// <param name="Value">The value for a put.</param>
/// <param name="Index">The expected index for a check (0 = absent).</param>
/// <param name="Options">Write options for a put.</param>
public sealed record KvTransactionOperation(
    KvTransactionOperationKind Kind,
    string Key,
    ReadOnlyMemory<byte> Value,
    ulong Index,
    KvWriteOptions? Options);
