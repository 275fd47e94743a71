using Valkeyrie.Sections;

namespace Valkeyrie.Configuration.Tests.Support;

[KvSection("app/db")]
public partial class DbSettings
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 5432;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

[KvSection("app/cache")]
public partial class CacheSettings
{
    public int Size { get; set; } = 100;
}
