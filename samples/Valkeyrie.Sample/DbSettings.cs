using Valkeyrie.Sections;

namespace Valkeyrie.Sample;

/// <summary>The typed section the sample reads; the generator writes its binding, key constants, load and save.</summary>
[KvSection("app/db")]
public partial class DbSettings
{
    /// <summary>The database host.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>The database port.</summary>
    public int Port { get; set; } = 5432;

    /// <summary>How long to wait for a connection.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest number of pooled connections.</summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <inheritdoc />
    public override string ToString() => $"Host={Host}, Port={Port}, ConnectTimeout={ConnectTimeout}, MaxPoolSize={MaxPoolSize}";
}
