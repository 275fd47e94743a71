using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Valkeyrie.Testing.Servers;
using static Valkeyrie.Etcd.Tests.EtcdTestSupport;

namespace Valkeyrie.Etcd.Tests;

/// <summary>
/// TLS against a real etcd serving https with a certificate from a throw-away authority (the shared launcher serves
/// plain http, so this test runs its own member).
/// </summary>
public sealed class EtcdTlsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("valkeyrie-etcd-tls-").FullName;
    private readonly int _port = FreePort.Next();
    private Process? _etcd;

    private string CaPath => Path.Combine(_directory, "ca.pem");

    public Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=valkeyrie test ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);

        File.WriteAllText(CaPath, ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, "server.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, "server-key.pem"), serverKey.ExportPkcs8PrivateKeyPem());

        var executable = ToolLocator.Find("etcd", "run ./test.sh, which installs it, or `apt-get install etcd-server`");
        var peer = FreePort.Next();
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[]
        {
            "--name=tls",
            $"--data-dir={Path.Combine(_directory, "data")}",
            $"--listen-client-urls=https://127.0.0.1:{_port}",
            $"--advertise-client-urls=https://127.0.0.1:{_port}",
            $"--listen-peer-urls=http://127.0.0.1:{peer}",
            $"--initial-advertise-peer-urls=http://127.0.0.1:{peer}",
            $"--initial-cluster=tls=http://127.0.0.1:{peer}",
            $"--cert-file={Path.Combine(_directory, "server.pem")}",
            $"--key-file={Path.Combine(_directory, "server-key.pem")}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _etcd = Process.Start(start)!;
        _etcd.ErrorDataReceived += (_, _) => { };
        _etcd.OutputDataReceived += (_, _) => { };
        _etcd.BeginErrorReadLine();
        _etcd.BeginOutputReadLine();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        if (_etcd is { HasExited: false })
        {
            _etcd.Kill(entireProcessTree: true);
            _etcd.WaitForExit();
        }

        _etcd?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_store_with_the_authority_talks_tls_and_one_without_it_is_refused()
    {
        await using var store = new EtcdKvStore($"etcd://127.0.0.1:{_port}?tls=true&ca={Uri.EscapeDataString(CaPath)}");
        await EventuallyAsync(
            async () =>
            {
                try
                {
                    await store.PutAsync("tls/key", V("secure"));
                    return true;
                }
                catch (KvUnavailableException)
                {
                    return false;
                }
            },
            Patience,
            "the TLS member to serve");
        Assert.Equal("secure", (await store.GetAsync("tls/key"))?.ValueAsString);

        await using var untrusting = new EtcdKvStore($"etcd://127.0.0.1:{_port}?tls=true");
        await Assert.ThrowsAsync<KvUnavailableException>(() => untrusting.GetAsync("tls/key"));

        await using var plain = new EtcdKvStore($"etcd://127.0.0.1:{_port}?timeout=2s");
        await Assert.ThrowsAsync<KvUnavailableException>(() => plain.GetAsync("tls/key"));
    }
}
