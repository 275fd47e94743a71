using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// A single-node Consul 1.8.7 server agent (Debian bullseye's <c>consul</c> package, unpacked by
/// <c>./test.sh</c> under <c>.tools/consul</c>) whose every port is free or disabled, configured by a
/// JSON file in its data directory so a restart finds the same ports, raft state and KV data.
/// </summary>
public sealed class ConsulAgent : ServerProcess
{
    private const string ReadyKey = "_valkeyrie/ready";
    private const string TokenHeader = "X-Consul-Token";

    private readonly string _executable = ToolLocator.Find(
        "consul",
        "run ./test.sh, which unpacks Debian bullseye's consul 1.8.7 into .tools/consul",
        "consul/usr/bin/consul");

    private readonly ConsulAgentOptions _options;

    /// <summary>Prepares an agent on new free ports; call <see cref="ServerProcess.StartAsync"/> to run it.</summary>
    /// <exception cref="FileNotFoundException">consul is not installed.</exception>
    public ConsulAgent(ConsulAgentOptions? options = null)
        : base("consul", options ??= new ConsulAgentOptions())
    {
        _options = options;
        Port = FreePort.Next();
        SerfLanPort = FreePort.Next();
        SerfWanPort = FreePort.Next();
        ServerPort = FreePort.Next();
        MasterToken = options.EnableAcl ? options.MasterToken ?? Guid.NewGuid().ToString() : null;
    }

    /// <inheritdoc />
    public override string Host => _options.BindAddress ?? base.Host;

    /// <summary>The HTTP API port.</summary>
    public override int Port { get; }

    /// <summary>The Serf LAN gossip port.</summary>
    public int SerfLanPort { get; }

    /// <summary>The Serf WAN gossip port.</summary>
    public int SerfWanPort { get; }

    /// <summary>The server RPC (raft) port.</summary>
    public int ServerPort { get; }

    /// <summary>The HTTP API's address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri HttpAddress => new(string.Create(CultureInfo.InvariantCulture, $"http://{Host}:{Port}/"));

    /// <summary>Runs the <c>consul</c> command line against this agent (<c>kv put k v</c>, …) and returns its output.</summary>
    /// <param name="arguments">The subcommand and its arguments; <c>-http-addr</c> (and the token) are added after the subcommand.</param>
    public Task<string> RunCliAsync(params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var startInfo = new ProcessStartInfo(_executable);
        var split = arguments.Length > 1 && arguments[0] == "kv" ? 2 : 1; // flags follow "kv put", not "kv"
        foreach (var argument in arguments.Take(split))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.ArgumentList.Add($"-http-addr={Host}:{Port}");
        if (MasterToken is { } token)
        {
            startInfo.Environment["CONSUL_HTTP_TOKEN"] = token;
        }

        foreach (var argument in arguments.Skip(split))
        {
            startInfo.ArgumentList.Add(argument);
        }

        return ToolProcess.RunAsync(startInfo, $"consul {string.Join(' ', arguments.Take(split))} against {Host}:{Port}", TimeSpan.FromSeconds(30));
    }

    /// <summary><c>consul://127.0.0.1:PORT</c>; with ACLs on, pass <see cref="MasterToken"/> as the token.</summary>
    public override string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"consul://{Host}:{Port}");

    /// <summary>The ACL master token when ACLs are on; null otherwise.</summary>
    public string? MasterToken { get; }

    /// <inheritdoc />
    protected override IReadOnlyList<int> ListeningPorts => [Port, SerfLanPort, SerfWanPort, ServerPort];

    /// <summary>Creates and starts an agent, disposing it when the start fails.</summary>
    public static Task<ConsulAgent> StartNewAsync(ConsulAgentOptions? options = null, CancellationToken cancellationToken = default) =>
        StartedAsync(new ConsulAgent(options), cancellationToken);

    /// <summary>
    /// Sends an HTTP request to the agent's API (e.g. <c>v1/kv/app/x</c>), with the master token when ACLs are on.
    /// The caller disposes the response.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relativePath, string? body = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(HttpAddress, relativePath));
        if (body is not null)
        {
            request.Content = new StringContent(body, MediaTypeHeaderValue.Parse("application/octet-stream"));
        }

        if (MasterToken is { } token)
        {
            request.Headers.Add(TokenHeader, token);
        }

        return await LoopbackHttp.Client.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    protected override ProcessStartInfo CreateStartInfo()
    {
        var configFile = Path.Combine(DataDirectory, "consul.json");
        File.WriteAllText(configFile, CreateConfig().ToJsonString());
        var startInfo = new ProcessStartInfo(_executable);
        foreach (var argument in new[] { "agent", $"-config-file={configFile}" }.Concat(_options.ExtraArguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        // A leader is elected seconds after start; with ACLs the token system needs a moment more,
        // so only a KV write proves the agent is usable.
        using (var leader = await SendAsync(HttpMethod.Get, "v1/status/leader", cancellationToken: cancellationToken))
        {
            var address = (await leader.Content.ReadAsStringAsync(cancellationToken)).Trim().Trim('"');
            if (!leader.IsSuccessStatusCode || address.Length == 0)
            {
                return false;
            }
        }

        using (var put = await SendAsync(HttpMethod.Put, $"v1/kv/{ReadyKey}", "ready", cancellationToken))
        {
            if (!put.IsSuccessStatusCode)
            {
                return false;
            }
        }

        using var delete = await SendAsync(HttpMethod.Delete, $"v1/kv/{ReadyKey}", cancellationToken: cancellationToken);
        return delete.IsSuccessStatusCode;
    }

    private JsonObject CreateConfig()
    {
        var config = new JsonObject
        {
            ["node_name"] = _options.NodeName,
            ["datacenter"] = "dc1",
            ["server"] = true,
            ["bootstrap_expect"] = _options.BootstrapExpect,
            ["data_dir"] = Path.Combine(DataDirectory, "data"),
            ["bind_addr"] = Host,
            ["advertise_addr"] = Host,
            ["client_addr"] = Host,
            ["disable_update_check"] = true,
            ["log_level"] = "INFO",
            ["ports"] = new JsonObject
            {
                ["http"] = Port,
                ["https"] = -1,
                ["dns"] = -1,
                ["grpc"] = -1,
                ["serf_lan"] = SerfLanPort,
                ["serf_wan"] = SerfWanPort,
                ["server"] = ServerPort,
            },
            // Raft timing as in development mode: a single local server need not tolerate slow networks.
            ["performance"] = new JsonObject { ["raft_multiplier"] = 1 },
        };
        if (_options.RetryJoin.Count > 0)
        {
            config["retry_join"] = new JsonArray([.. _options.RetryJoin.Select(address => (JsonNode)JsonValue.Create(address))]);
            config["retry_interval"] = "1s";
        }

        if (_options.SessionTtlMin is { } ttlMin)
        {
            config["session_ttl_min"] = string.Create(CultureInfo.InvariantCulture, $"{(long)ttlMin.TotalMilliseconds}ms");
        }

        if (MasterToken is { } token)
        {
            config["acl"] = new JsonObject
            {
                ["enabled"] = true,
                ["default_policy"] = "deny",
                ["down_policy"] = "extend-cache",
                // The agent's own catalog updates need a token once the default is deny.
                ["tokens"] = new JsonObject { ["master"] = token, ["agent"] = token },
            };
        }

        return config;
    }
}
