using Microsoft.Extensions.Logging;

namespace Valkeyrie;

/// <summary>
/// The options every backend shares, with one name each: timeouts, credentials, TLS, the clock and the logger factory.
/// A backend's options type derives from it and adds only what is specific to it; its <c>Parse(string)</c> reads the
/// shared connection-string keys through <see cref="ReadCommon{TOptions}"/>: <c>timeout</c>, <c>connectTimeout</c>,
/// <c>token</c>, <c>tls</c>, <c>ca</c>, <c>cert</c>, <c>key</c> and <c>sni</c>, with the user name and password taken
/// from the <c>user:password@</c> part. See docs/store-contract.md ("Options").
/// </summary>
public abstract class KvStoreOptions
{
    /// <summary>The connection-string keys <see cref="ReadCommon{TOptions}"/> reads.</summary>
    public static IReadOnlyList<string> CommonParameters { get; } = ["timeout", "connectTimeout", "token", "tls", "ca", "cert", "key", "sni"];

    /// <summary>How long one call may take before it fails with <see cref="KvUnavailableException"/>; 5 s by default.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long connecting may take; 3 s by default.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The user name, for backends with users.</summary>
    public string? UserName { get; set; }

    /// <summary>The password; never logged or shown in messages.</summary>
    public string? Password { get; set; }

    /// <summary>An access token, for backends with tokens; never logged or shown in messages.</summary>
    public string? Token { get; set; }

    /// <summary>Whether to connect over TLS.</summary>
    public bool Tls { get; set; }

    /// <summary>A PEM file of the certificate authorities to trust instead of the system's (TLS).</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>A PEM file of the client certificate, for mutual TLS.</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>A PEM file of the client certificate's private key, for mutual TLS.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>The server name to send (SNI) and to check the server's certificate against; the endpoint's host by default.</summary>
    public string? ServerName { get; set; }

    /// <summary>The clock for TTLs, leases and polling; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the store logs reconnects, watch restarts, failovers and lost leases; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Reads the shared keys of <paramref name="connectionString"/> into <paramref name="options"/>; a key that is absent
    /// leaves the option as it is, so a backend's own defaults stay.
    /// </summary>
    /// <typeparam name="TOptions">The backend's options type.</typeparam>
    /// <param name="options">The options to fill in.</param>
    /// <param name="connectionString">The parsed connection string.</param>
    /// <exception cref="KvConfigurationException">A shared key has a malformed value.</exception>
    protected static TOptions ReadCommon<TOptions>(TOptions options, KvConnectionString connectionString)
        where TOptions : KvStoreOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connectionString);
        options.RequestTimeout = connectionString.GetTimeSpan("timeout", options.RequestTimeout);
        options.ConnectTimeout = connectionString.GetTimeSpan("connectTimeout", options.ConnectTimeout);
        options.UserName = connectionString.UserName ?? options.UserName;
        options.Password = connectionString.Password ?? options.Password;
        options.Token = connectionString.Get("token") ?? options.Token;
        options.Tls = connectionString.GetBoolean("tls", options.Tls);
        options.CaCertificatePath = connectionString.Get("ca") ?? options.CaCertificatePath;
        options.ClientCertificatePath = connectionString.Get("cert") ?? options.ClientCertificatePath;
        options.ClientKeyPath = connectionString.Get("key") ?? options.ClientKeyPath;
        options.ServerName = connectionString.Get("sni") ?? options.ServerName;
        return options;
    }

    /// <summary>Throws <see cref="KvConfigurationException"/> naming every parameter of <paramref name="connectionString"/> not in <paramref name="known"/>.</summary>
    /// <param name="connectionString">The parsed connection string.</param>
    /// <param name="backend">The backend, named in the message.</param>
    /// <param name="known">The parameters the backend understands (case-insensitive).</param>
    protected static void RejectUnknownParameters(KvConnectionString connectionString, string backend, IReadOnlyCollection<string> known)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(known);
        var unknown = connectionString.Parameters.Keys.Where(name => !known.Contains(name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new KvConfigurationException(
                $"The {backend} connection string has unknown parameter(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))}; known parameters: {string.Join(", ", known)}.");
        }
    }

    /// <summary>Checks the shared options and throws <see cref="KvConfigurationException"/> naming the problem.</summary>
    /// <param name="backend">The backend, named in the message.</param>
    protected void ValidateCommon(string backend)
    {
        if (RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new KvConfigurationException($"The {backend} RequestTimeout and ConnectTimeout must be positive (set timeout= and connectTimeout=, such as 5s).");
        }

        if ((ClientCertificatePath is null) != (ClientKeyPath is null))
        {
            throw new KvConfigurationException($"The {backend} client certificate needs both cert= (ClientCertificatePath) and key= (ClientKeyPath).");
        }

        if (TimeProvider is null)
        {
            throw new KvConfigurationException($"The {backend} TimeProvider must not be null; leave it at TimeProvider.System.");
        }
    }
}
