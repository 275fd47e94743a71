using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Valkeyrie.Testing.Servers;

/// <summary>Hands out loopback TCP ports that nothing listens on.</summary>
/// <remarks>
/// Ports come from below the kernel's ephemeral range, so an outgoing connection cannot grab a
/// server's port while the server is stopped for a restart test. Each port is handed out once per
/// process, so two launchers in one test run never race for the same port.
/// </remarks>
public static class FreePort
{
    private const int LowestCandidate = 10_000;
    private const int Attempts = 200;
    private static readonly HashSet<int> s_handedOut = [];
    private static readonly Lock s_gate = new();

    /// <summary>Returns a port that is free on 127.0.0.1 right now and was not returned before.</summary>
    public static int Next()
    {
        var highestCandidate = EphemeralRangeStart() - 1;
        lock (s_gate)
        {
            if (highestCandidate > LowestCandidate + 1_000)
            {
                for (var attempt = 0; attempt < Attempts; attempt++)
                {
                    var port = Random.Shared.Next(LowestCandidate, highestCandidate + 1);
                    if (!s_handedOut.Contains(port) && CanBind(port))
                    {
                        s_handedOut.Add(port);
                        return port;
                    }
                }
            }

            // No room below the ephemeral range: let the kernel choose.
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var port = BindAny();
                if (s_handedOut.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("Could not find a free loopback TCP port.");
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsListening(int port) => IsListening("127.0.0.1", port);

    /// <summary>True when something accepts TCP connections on <paramref name="host"/>:<paramref name="port"/> (a loopback address).</summary>
    public static bool IsListening(string host, int port)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            client.Connect(IPAddress.Parse(host), port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool CanBind(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static int BindAny()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static int EphemeralRangeStart()
    {
        const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        try
        {
            var first = File.ReadAllText(RangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768; // Linux default
        }
    }
}
