using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// A redis-server (Debian package <c>redis-server</c>) on a free loopback port. Every write is
/// appended and fsynced to an append-only file in the data directory, so data survives a restart
/// and even <see cref="ServerProcess.KillAsync"/>.
/// </summary>
public sealed class RedisServer : ServerProcess
{
    private readonly string _executable = ToolLocator.Find(
        "redis-server", "run ./test.sh, which installs it, or `apt-get install redis-server`");

    private readonly RedisServerOptions _options;

    /// <summary>Prepares a server on a new free port; call <see cref="ServerProcess.StartAsync"/> to run it.</summary>
    /// <exception cref="FileNotFoundException">redis-server is not installed.</exception>
    public RedisServer(RedisServerOptions? options = null)
        : base("redis-server", options ??= new RedisServerOptions())
    {
        if (options.AclUser is not null && options.AclPassword is null)
        {
            throw new ArgumentException("AclPassword is required with AclUser.", nameof(options));
        }

        _options = options;
        Port = FreePort.Next();
    }

    /// <inheritdoc />
    public override int Port { get; }

    /// <summary><c>redis://127.0.0.1:PORT</c> (<c>rediss://</c> when serving TLS, without the certificate parameters); credentials are in <see cref="Password"/>, <see cref="AclUser"/> and <see cref="AclPassword"/>.</summary>
    public override string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"{(_options.Tls is null ? "redis" : "rediss")}://{Host}:{Port}");

    /// <summary>The default user's password, or null.</summary>
    public string? Password => _options.Password;

    /// <summary>The extra ACL user, or null.</summary>
    public string? AclUser => _options.AclUser;

    /// <summary>The extra ACL user's password, or null.</summary>
    public string? AclPassword => _options.AclPassword;

    /// <inheritdoc />
    protected override IReadOnlyList<int> ListeningPorts => [Port];

    /// <summary>Creates and starts a server, disposing it when the start fails.</summary>
    public static Task<RedisServer> StartNewAsync(RedisServerOptions? options = null, CancellationToken cancellationToken = default) =>
        StartedAsync(new RedisServer(options), cancellationToken);

    /// <summary>
    /// Runs one command over a fresh connection, authenticated with the default user's password or
    /// else the ACL user, and returns the reply as <see cref="RespClient"/> renders it.
    /// </summary>
    public Task<string?> ExecuteAsync(params string[] command) => ExecuteAsync(command, CancellationToken.None);

    /// <inheritdoc cref="ExecuteAsync(string[])"/>
    public Task<string?> ExecuteAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var commands = new List<IReadOnlyList<string>>(2);
        if (_options.Password is { } password)
        {
            commands.Add(["AUTH", password]);
        }
        else if (_options.AclUser is { } user)
        {
            commands.Add(["AUTH", user, _options.AclPassword!]);
        }

        commands.Add(command);
        return RespClient.ExecuteAsync(Host, Port, commands, _options.Tls?.ProbeOptions(Host), cancellationToken);
    }

    /// <inheritdoc />
    protected override ProcessStartInfo CreateStartInfo()
    {
        // A config file rather than arguments keeps passwords out of the process list and the output tail.
        var config = BaseConfig(Host, _options.Tls is null ? Port : 0, DataDirectory)
            .AppendLine("save \"\"")
            .AppendLine("appendonly yes")
            .AppendLine("appendfsync always");
        if (_options.Password is { } password)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"requirepass \"{password}\"");
        }

        if (_options.AclUser is { } user)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"user {user} on >{_options.AclPassword} ~* &* +@all");
        }

        if (_options.Tls is { } tls)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"tls-port {Port}")
                .AppendLine(CultureInfo.InvariantCulture, $"tls-cert-file \"{tls.ServerCertificate.CertificatePath}\"")
                .AppendLine(CultureInfo.InvariantCulture, $"tls-key-file \"{tls.ServerCertificate.KeyPath}\"")
                .AppendLine(CultureInfo.InvariantCulture, $"tls-ca-cert-file \"{tls.Certificates.Authority.CertificatePath}\"")
                .AppendLine(tls.RequireClientCertificate ? "tls-auth-clients yes" : "tls-auth-clients no");
        }

        foreach (var line in _options.ExtraConfig)
        {
            config.AppendLine(line);
        }

        var configFile = Path.Combine(DataDirectory, "redis.conf");
        File.WriteAllText(configFile, config.ToString());
        var startInfo = new ProcessStartInfo(_executable);
        startInfo.ArgumentList.Add(configFile);
        return startInfo;
    }

    /// <summary>The redis.conf lines every launcher writes: loopback address and port, foreground, log to stdout, data directory.</summary>
    internal static StringBuilder BaseConfig(string host, int port, string directory) => new StringBuilder()
        .AppendLine(CultureInfo.InvariantCulture, $"bind {host}")
        .AppendLine(CultureInfo.InvariantCulture, $"port {port}")
        .AppendLine("daemonize no")
        .AppendLine("logfile \"\"")
        .AppendLine(CultureInfo.InvariantCulture, $"dir \"{directory}\"");

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken) =>
        await ExecuteAsync(["PING"], cancellationToken) == "PONG"; // a server still loading its file replies -LOADING
}
