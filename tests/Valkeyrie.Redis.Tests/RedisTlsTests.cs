using Valkeyrie.Testing.Security;
using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Redis.Tests;

/// <summary>
/// TLS against real redis-servers that serve TLS only (<c>tls-port</c>, <c>port 0</c>) and require a client certificate,
/// with certificates made at run time: a trusted connection works; a wrong authority, an expired server certificate, a
/// host-name mismatch each fail with <see cref="KvTlsException"/>; a missing or untrusted client certificate is refused;
/// plaintext never works.
/// </summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private RedisServer? _server;

    private RedisServer Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RedisServer.StartNewAsync(new RedisServerOptions { Tls = new ServerTls(_certificates) });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _certificates.Dispose();
    }

    private string Trusted(TestCertificateFiles? client = null, TestCertificateFiles? authority = null, string host = "127.0.0.1", string extra = "")
    {
        client ??= _certificates.Client;
        authority ??= _certificates.Authority;
        return $"redis://{host}:{Server.Port}?tls=true&ca={Uri.EscapeDataString(authority.CertificatePath)}" +
            $"&cert={Uri.EscapeDataString(client.CertificatePath)}&key={Uri.EscapeDataString(client.KeyPath!)}&connectTimeout=5s{extra}";
    }

    [Fact]
    public async Task A_client_trusting_the_authority_with_its_certificate_talks_tls()
    {
        await using var store = new RedisKvStore(Trusted());
        var written = await store.PutAsync("tls/key", "secure"u8.ToArray()).WaitAsync(s_patience);
        Assert.Equal(written, await store.GetAsync("tls/key"));
    }

    [Fact]
    public async Task The_server_name_can_be_given_with_sni_when_connecting_by_address()
    {
        await using var store = new RedisKvStore(Trusted(extra: "&sni=localhost"));
        await store.PutAsync("tls/sni", "ok"u8.ToArray()).WaitAsync(s_patience);
    }

    [Fact]
    public async Task A_wrong_authority_is_a_tls_error()
    {
        await using var store = new RedisKvStore(Trusted(authority: _certificates.OtherAuthority));
        await AssertTlsErrorAsync(store);
    }

    [Fact]
    public async Task A_host_name_mismatch_is_a_tls_error()
    {
        await using var store = new RedisKvStore(Trusted(extra: $"&sni={TestCertificates.WrongHostName}"));
        await AssertTlsErrorAsync(store);
    }

    [Fact]
    public async Task A_missing_client_certificate_is_refused()
    {
        var connectionString = $"redis://127.0.0.1:{Server.Port}?tls=true&ca={Uri.EscapeDataString(_certificates.Authority.CertificatePath)}&connectTimeout=5s";
        await using var store = new RedisKvStore(connectionString);
        await AssertRefusedAsync(store);
    }

    [Fact]
    public async Task A_client_certificate_from_another_authority_is_refused()
    {
        await using var store = new RedisKvStore(Trusted(client: _certificates.OtherClient));
        await AssertRefusedAsync(store);
    }

    [Fact]
    public async Task A_plaintext_client_never_gets_an_answer()
    {
        await using var store = new RedisKvStore($"redis://127.0.0.1:{Server.Port}?connectTimeout=2s&timeout=2s");
        await Assert.ThrowsAnyAsync<KvException>(() => store.GetAsync("tls/key").WaitAsync(s_patience));
    }

    [Fact]
    public async Task An_expired_server_certificate_is_a_tls_error()
    {
        await using var expired = await RedisServer.StartNewAsync(new RedisServerOptions
        {
            Tls = new ServerTls(_certificates) { ServerCertificate = _certificates.Expired },
        });
        var connectionString = Trusted().Replace($":{Server.Port}?", $":{expired.Port}?", StringComparison.Ordinal);
        await using var store = new RedisKvStore(connectionString);
        await AssertTlsErrorAsync(store);
    }

    [Fact]
    public void Certificate_files_that_do_not_exist_are_a_configuration_error()
    {
        var error = Assert.Throws<KvConfigurationException>(() => RedisKvStoreOptions.Parse("redis://127.0.0.1:6379?tls=true&ca=/nonexistent/ca.pem"));
        Assert.Contains("'ca'", error.Message, StringComparison.Ordinal);
        Assert.Throws<KvConfigurationException>(() => RedisKvStoreOptions.Parse($"redis://127.0.0.1:6379?cert={Uri.EscapeDataString(_certificates.Client.CertificatePath)}"));
    }

    // With TLS 1.3 the server checks the client certificate after the client finished its handshake, so the client only
    // sees the connection closed: refused (never served), but indistinguishable from an outage (docs/security.md).
    private static async Task AssertRefusedAsync(RedisKvStore store) =>
        await Assert.ThrowsAnyAsync<KvException>(() => store.GetAsync("tls/key").WaitAsync(s_patience));

    private static async Task AssertTlsErrorAsync(RedisKvStore store)
    {
        var error = await Assert.ThrowsAsync<KvTlsException>(() => store.GetAsync("tls/key").WaitAsync(s_patience));
        Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
        Assert.Contains("redis", error.Message, StringComparison.Ordinal);
    }
}
