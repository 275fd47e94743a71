using System.Globalization;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// The last lines a server printed on stdout and stderr, kept so a failed start or probe can show
/// why the server is unhappy without keeping a long-running server's whole log in memory.
/// </summary>
public sealed class OutputTail
{
    private readonly Queue<string> _lines = new();
    private readonly int _capacity;
    private readonly Lock _gate = new();

    /// <summary>Creates a tail that keeps at most <paramref name="capacity"/> lines.</summary>
    public OutputTail(int capacity = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Records one line, tagged with the stream it came from.</summary>
    public void Add(string stream, string? line)
    {
        if (line is null)
        {
            return; // end of stream
        }

        var stamped = string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:HH:mm:ss.fff} {stream}: {line}");
        lock (_gate)
        {
            if (_lines.Count == _capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(stamped);
        }
    }

    /// <summary>The kept lines, oldest first, one per line.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            return _lines.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, _lines);
        }
    }
}
