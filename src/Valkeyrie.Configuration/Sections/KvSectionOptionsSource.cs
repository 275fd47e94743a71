using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Valkeyrie.Configuration.Internal;
using Valkeyrie.Sections;

namespace Valkeyrie.Configuration.Sections;

/// <summary>
/// Creates a typed section for the options system with the generated binder, and is its change-token source.
/// A configuration reload is turned into an options change only when the section's own keys changed and the new
/// value binds and validates; otherwise the last valid value stays and the error is reported, so
/// <c>IOptionsMonitor.CurrentValue</c> never throws after startup and <c>OnChange</c> never fires for nothing.
/// </summary>
/// <typeparam name="T">The generated section type.</typeparam>
internal sealed class KvSectionOptionsSource<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T> : IOptionsFactory<T>, IOptionsChangeTokenSource<T>, IDisposable
    where T : class, IKvSection<T>
{
    private readonly IConfigurationSection _section;
    private readonly IConfigureOptions<T>[] _setups;
    private readonly IPostConfigureOptions<T>[] _postConfigures;
    private readonly IValidateOptions<T>[] _validations;
    private readonly ILogger _logger;
    private readonly KvSectionOptions _options;
    private readonly object _gate = new();
    private readonly IDisposable _subscription;
    private ConfigurationReloadToken _token = new();
    private T? _current;
    private KeyValuePair<string, string?>[] _fingerprint = [];

    public KvSectionOptionsSource(
        IConfiguration configuration,
        IEnumerable<IConfigureOptions<T>> setups,
        IEnumerable<IPostConfigureOptions<T>> postConfigures,
        IEnumerable<IValidateOptions<T>> validations,
        ILoggerFactory loggerFactory,
        KvSectionOptions options)
    {
        _section = configuration.GetSection(T.ConfigurationPath);
        _setups = [.. setups];
        _postConfigures = [.. postConfigures];
        _validations = [.. validations];
        _logger = loggerFactory.CreateLogger<KvSectionOptionsSource<T>>();
        _options = options;
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, OnConfigurationReloaded);
    }

    /// <inheritdoc />
    public string Name => Options.DefaultName;

    /// <inheritdoc />
    public IChangeToken GetChangeToken() => Volatile.Read(ref _token);

    /// <summary>
    /// The last valid value. The first call binds and validates, and throws (<see cref="KvBindingException"/> or
    /// <see cref="OptionsValidationException"/>) if that fails, which is what <c>ValidateOnStart</c> reports.
    /// </summary>
    public T Create(string name)
    {
        lock (_gate)
        {
            if (_current is null)
            {
                var fingerprint = Fingerprint();
                _current = Build();
                _fingerprint = fingerprint;
            }

            return _current;
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void OnConfigurationReloaded()
    {
        lock (_gate)
        {
            if (_current is null)
            {
                return; // Not bound yet: the first Create reads the new data.
            }

            var fingerprint = Fingerprint();
            if (fingerprint.AsSpan().SequenceEqual(_fingerprint))
            {
                return;
            }

            // Remember rejected content too, so the same bad value is reported once, not on every unrelated reload.
            _fingerprint = fingerprint;
            try
            {
                _current = Build();
            }
#pragma warning disable CA1031 // Any binding or validation failure keeps the last valid value.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Reject(e);
                return;
            }
        }

        Log.SectionReloaded(_logger, typeof(T).Name, T.ConfigurationPath);
        Interlocked.Exchange(ref _token, new ConfigurationReloadToken()).OnReload();
    }

    private void Reject(Exception exception)
    {
        Log.SectionRejected(_logger, exception, typeof(T).Name, T.ConfigurationPath);
        Telemetry.Failures.Add(1, Telemetry.Tag("valkeyrie.section", T.ConfigurationPath), Telemetry.Tag("valkeyrie.operation", "bind"));
        try
        {
            _options.OnReloadError?.Invoke(new KvSectionReloadError(typeof(T), T.ConfigurationPath, exception));
        }
#pragma warning disable CA1031 // A faulty callback must not break reloads.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(_logger, e);
        }
    }

    private KeyValuePair<string, string?>[] Fingerprint() =>
        [.. _section.AsEnumerable(makePathsRelative: true).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)];

    private T Build()
    {
        var name = Options.DefaultName;
        var value = T.Bind(_section);
        foreach (var setup in _setups)
        {
            if (setup is IConfigureNamedOptions<T> named)
            {
                named.Configure(name, value);
            }
            else
            {
                setup.Configure(value);
            }
        }

        foreach (var post in _postConfigures)
        {
            post.PostConfigure(name, value);
        }

        var failures = new List<string>();
        foreach (var validation in _validations)
        {
            var result = validation.Validate(name, value);
            if (result.Failed)
            {
                failures.AddRange(result.Failures ?? [result.FailureMessage]);
            }
        }

        return failures.Count == 0 ? value : throw new OptionsValidationException(name, typeof(T), failures);
    }
}
