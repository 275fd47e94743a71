using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Redis.Tests;

/// <summary>The redis-server shared by every test that leaves the server running.</summary>
public sealed class RedisFixture : RedisServerFixture
{
    /// <summary>A new client; short sweep and poll intervals keep expiry tests quick.</summary>
    public IKvStore Connect(string extra = "") =>
        new RedisKvStore($"{Server.ConnectionString}?sweepInterval=250ms&pollInterval=1s{extra}");
}

/// <summary>A redis-server of its own for the tests that stop and start it.</summary>
public sealed class RedisRestartFixture : RedisServerFixture
{
    public IKvStore Connect() => new RedisKvStore($"{Server.ConnectionString}?sweepInterval=250ms&pollInterval=1s");
}

/// <summary>A redis-server that requires a password for the default user and has an extra ACL user.</summary>
public sealed class RedisAuthFixture : RedisServerFixture
{
    public const string Password = "default-secret";
    public const string AclUser = "app";
    public const string AclPassword = "app-secret";

    protected override RedisServerOptions CreateOptions() => new() { Password = Password, AclUser = AclUser, AclPassword = AclPassword };
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}

[CollectionDefinition(Name)]
public sealed class RedisRestartCollection : ICollectionFixture<RedisRestartFixture>
{
    public const string Name = "redis-restart";
}

[CollectionDefinition(Name)]
public sealed class RedisAuthCollection : ICollectionFixture<RedisAuthFixture>
{
    public const string Name = "redis-auth";
}
