using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper;

/// <summary>Maps client failures to the KvException family, naming backend, endpoint and key and saying what to do.</summary>
internal sealed class ZooKeeperErrors(string endpoint)
{
    public const string Backend = "zookeeper";

    public string Endpoint => endpoint;

    public Exception Map(ZkException error, string? key) => error.Code switch
    {
        _ when error.MayHaveBeenApplied => new KvOutcomeUnknownException(Backend, endpoint, key, error.Message, error),
        ZkErrorCode.NoAuth => new KvAuthenticationException(Backend, endpoint, key,
            "permission denied by the node's ACL; connect with a digest (user:password) that the ACL grants, or ask the node's owner to change it.", error),
        ZkErrorCode.AuthFailed => new KvAuthenticationException(Backend, endpoint, key,
            "the server rejected the authentication; check the digest user:password.", error),
        ZkErrorCode.InvalidAcl => new KvConfigurationException(
            $"{Backend} at {endpoint}: the server refused the ACL of a new node ({error.Message}); an 'acl=creator' store needs a digest.", error),
        ZkErrorCode.Unimplemented => new KvConfigurationException(
            $"{Backend} at {endpoint}: the server does not support this request ({error.Message}). TTL keys need TTL nodes: start the server with -Dzookeeper.extendedTypesEnabled=true (ZooKeeper 3.5.3+).", error),
        ZkErrorCode.NoChildrenForEphemerals => new KvException(Backend, endpoint, key,
            "a parent key is kept alive or held as a lock, and ZooKeeper's ephemeral nodes cannot have children; use another key.", error),
        ZkErrorCode.BadArguments => new KvException(Backend, endpoint, key, $"the server refused the request as invalid ({error.Message}).", error),
        ZkErrorCode.ConnectionLoss => new KvUnavailableException(Backend, endpoint, key,
            $"{error.Message}. Check that the ZooKeeper servers are running and reachable; the call can be retried.", error),
        ZkErrorCode.OperationTimeout or ZkErrorCode.RequestTimeout => new KvUnavailableException(Backend, endpoint, key,
            $"{error.Message}. The server is overloaded or unreachable; the call can be retried.", error),
        _ when error.IsTransient => new KvUnavailableException(Backend, endpoint, key, $"{error.Message}; the call can be retried.", error),
        _ => new KvException(Backend, endpoint, key, $"unexpected ZooKeeper error: {error.Message}.", error),
    };
}
