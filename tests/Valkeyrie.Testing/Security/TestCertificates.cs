using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Valkeyrie.Testing.Security;

/// <summary>
/// A throw-away public key infrastructure made at run time with <see cref="CertificateRequest"/>, written as PEM files
/// to a temporary directory that disposing deletes. It holds everything the
/// TLS tests need: an authority, a server certificate for 127.0.0.1/localhost, a client certificate, an expired server
/// certificate, a server certificate for another host name, and a second, unrelated authority.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    /// <summary>The host name the <see cref="WrongHost"/> certificate is issued for.</summary>
    public const string WrongHostName = "wrong-host.invalid";

    private static readonly Oid s_serverAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");

    private TestCertificates(string directory)
    {
        Directory = directory;
        var now = DateTimeOffset.UtcNow;
        using var ca = CreateAuthority("CN=valkeyrie test ca", now);
        using var otherCa = CreateAuthority("CN=valkeyrie unrelated test ca", now);
        Authority = WriteAuthority("ca", ca);
        OtherAuthority = WriteAuthority("other-ca", otherCa);
        Server = WriteLeaf("server", ca, "CN=127.0.0.1", ["127.0.0.1", "localhost"], now.AddDays(-1), now.AddDays(2), s_serverAuth, s_clientAuth);
        Client = WriteLeaf("client", ca, "CN=valkeyrie test client", [], now.AddDays(-1), now.AddDays(2), s_clientAuth);
        Expired = WriteLeaf("expired", ca, "CN=127.0.0.1", ["127.0.0.1", "localhost"], now.AddDays(-3), now.AddDays(-2), s_serverAuth, s_clientAuth);
        WrongHost = WriteLeaf("wrong-host", ca, $"CN={WrongHostName}", [WrongHostName], now.AddDays(-1), now.AddDays(2), s_serverAuth);
        OtherClient = WriteLeaf("other-client", otherCa, "CN=valkeyrie unrelated client", [], now.AddDays(-1), now.AddDays(2), s_clientAuth);
    }

    /// <summary>The temporary directory holding the files.</summary>
    public string Directory { get; }

    /// <summary>The authority that issued <see cref="Server"/>, <see cref="Client"/>, <see cref="Expired"/> and <see cref="WrongHost"/>.</summary>
    public TestCertificateFiles Authority { get; }

    /// <summary>An authority that issued nothing the servers trust or present (the "wrong CA").</summary>
    public TestCertificateFiles OtherAuthority { get; }

    /// <summary>A server certificate for 127.0.0.1 and localhost, valid now (also usable for client authentication).</summary>
    public TestCertificateFiles Server { get; }

    /// <summary>A client certificate issued by <see cref="Authority"/>.</summary>
    public TestCertificateFiles Client { get; }

    /// <summary>A client certificate issued by <see cref="OtherAuthority"/>, which the servers do not trust.</summary>
    public TestCertificateFiles OtherClient { get; }

    /// <summary>A certificate for 127.0.0.1 and localhost from <see cref="Authority"/> that expired yesterday.</summary>
    public TestCertificateFiles Expired { get; }

    /// <summary>A valid server certificate from <see cref="Authority"/> for <see cref="WrongHostName"/> only.</summary>
    public TestCertificateFiles WrongHost { get; }

    /// <summary>Makes a fresh set in a new temporary directory.</summary>
    public static TestCertificates Create() =>
        new(System.IO.Directory.CreateTempSubdirectory("valkeyrie-certs-").FullName);

    /// <summary>Deletes the files.</summary>
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A server still holding a file open; the temporary directory is cleaned up by the OS later.
        }
    }

    private static X509Certificate2 CreateAuthority(string subject, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-10), now.AddDays(10));
    }

    private TestCertificateFiles WriteAuthority(string name, X509Certificate2 authority)
    {
        var certificate = Path.Combine(Directory, $"{name}.pem");
        File.WriteAllText(certificate, authority.ExportCertificatePem());
        return new TestCertificateFiles(certificate, null, null);
    }

    private TestCertificateFiles WriteLeaf(
        string name, X509Certificate2 issuer, string subject, IReadOnlyList<string> names, DateTimeOffset notBefore, DateTimeOffset notAfter, params Oid[] usages)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (names.Count > 0)
        {
            var alternativeNames = new SubjectAlternativeNameBuilder();
            foreach (var alternative in names)
            {
                if (IPAddress.TryParse(alternative, out var address))
                {
                    alternativeNames.AddIpAddress(address);
                }
                else
                {
                    alternativeNames.AddDnsName(alternative);
                }
            }

            request.CertificateExtensions.Add(alternativeNames.Build());
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // a positive serial number
        using var certificate = request.Create(issuer, notBefore, notAfter, serial);

        var certificatePath = Path.Combine(Directory, $"{name}.pem");
        var keyPath = Path.Combine(Directory, $"{name}-key.pem");
        var combinedPath = Path.Combine(Directory, $"{name}-combined.pem");
        var certificatePem = certificate.ExportCertificatePem();
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        File.WriteAllText(certificatePath, certificatePem);
        File.WriteAllText(keyPath, keyPem);
        File.WriteAllText(combinedPath, keyPem + Environment.NewLine + certificatePem + Environment.NewLine);
        return new TestCertificateFiles(certificatePath, keyPath, combinedPath);
    }
}

/// <summary>The files of one certificate in a <see cref="TestCertificates"/> set.</summary>
/// <param name="CertificatePath">The certificate, PEM.</param>
/// <param name="KeyPath">Its private key, PKCS#8 PEM; null for an authority (its key is never written).</param>
/// <param name="CombinedPath">Key and certificate in one PEM file (ZooKeeper's <c>ssl.keyStore.type=PEM</c>); null for an authority.</param>
public sealed record TestCertificateFiles(string CertificatePath, string? KeyPath, string? CombinedPath);
