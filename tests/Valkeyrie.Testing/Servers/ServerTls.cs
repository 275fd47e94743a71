using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Valkeyrie.Testing.Security;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// Makes a launcher serve TLS only (no plaintext port), with certificates from a <see cref="TestCertificates"/> set:
/// the server presents <see cref="ServerCertificate"/> and, with <see cref="RequireClientCertificate"/>, accepts only
/// clients presenting a certificate issued by the set's authority.
/// </summary>
public sealed class ServerTls
{
    /// <summary>Creates the settings.</summary>
    /// <param name="certificates">The certificate set; the launcher reads its files, the caller disposes it.</param>
    public ServerTls(TestCertificates certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        Certificates = certificates;
        ServerCertificate = certificates.Server;
    }

    /// <summary>The certificate set.</summary>
    public TestCertificates Certificates { get; }

    /// <summary>The certificate the server presents; the set's valid server certificate unless a negative test swaps in another.</summary>
    public TestCertificateFiles ServerCertificate { get; set; }

    /// <summary>Whether clients must present a certificate issued by the set's authority (mutual TLS). Default true.</summary>
    public bool RequireClientCertificate { get; set; } = true;

    /// <summary>
    /// Client settings for the launchers' own readiness probes: they present the client certificate and accept any
    /// certificate the set's authority issued, whatever its host name or validity period (a negative test's expired or
    /// wrong-host server must still start). Never for the code under test.
    /// </summary>
    internal SslClientAuthenticationOptions ProbeOptions(string host) => new()
    {
        TargetHost = host,
        ClientCertificates = [X509Certificate2.CreateFromPemFile(Certificates.Client.CertificatePath, Certificates.Client.KeyPath)],
        RemoteCertificateValidationCallback = (_, certificate, _, _) => IssuedByAuthority(certificate),
    };

    private bool IssuedByAuthority(X509Certificate? presented)
    {
        if (presented is null)
        {
            return false;
        }

        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(Certificates.Authority.CertificatePath));
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(leaf);
    }
}
