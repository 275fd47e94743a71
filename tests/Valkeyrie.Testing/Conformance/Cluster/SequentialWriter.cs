using System.Diagnostics;
using System.Text;

namespace Valkeyrie.Testing.Conformance.Cluster;

/// <summary>
/// Puts keys one after another, as an application writing through a failover would: each put is retried (it writes
/// the same value, so a retry is safe even when an earlier attempt was applied) until the store acknowledges it. Records
/// every acknowledgement with its index and time, and counts the failures by kind. Writes are paced (one every few
/// milliseconds) so they span the faults a test injects, and go on until the test calls <see cref="Finish"/>.
/// </summary>
public sealed class SequentialWriter
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_pace = TimeSpan.FromMilliseconds(10);
    private readonly IKvStore _store;
    private readonly Func<int, string> _key;
    private readonly List<Acknowledgement> _acknowledged = [];
    private readonly Stopwatch _clock;
    private int _unavailable;
    private int _outcomeUnknown;
    private volatile bool _finish;

    /// <summary>Creates a writer of keys named by <paramref name="key"/>.</summary>
    /// <param name="store">The store to write through.</param>
    /// <param name="key">The key of the i-th write.</param>
    /// <param name="clock">The clock acknowledgement times are read from (shared with the test's other measurements).</param>
    public SequentialWriter(IKvStore store, Func<int, string> key, Stopwatch clock)
    {
        _store = store;
        _key = key;
        _clock = clock;
    }

    /// <summary>Asks the writer to stop after <paramref name="moreWrites"/> more acknowledged writes (proof that writing resumed).</summary>
    public async Task FinishAsync(Task running, int moreWrites = 10)
    {
        await WaitForProgressAsync(Acknowledged.Count + moreWrites, running, TimeSpan.FromSeconds(120));
        _finish = true;
        await running;
    }

    /// <summary>The value of the i-th write.</summary>
    public static string ValueOf(int i) => $"v{i}";

    /// <summary>Every acknowledged write, in order.</summary>
    public IReadOnlyList<Acknowledgement> Acknowledged
    {
        get
        {
            lock (_acknowledged)
            {
                return [.. _acknowledged];
            }
        }
    }

    /// <summary>How many attempts failed with <see cref="KvUnavailableException"/> (nothing sent).</summary>
    public int Unavailable => Volatile.Read(ref _unavailable);

    /// <summary>How many attempts failed with <see cref="KvOutcomeUnknownException"/> (sent, answer lost).</summary>
    public int OutcomeUnknown => Volatile.Read(ref _outcomeUnknown);

    /// <summary>The longest time between two acknowledgements: how long writes stalled during a failover.</summary>
    public TimeSpan LongestStall
    {
        get
        {
            var acks = Acknowledged;
            return acks.Count < 2 ? TimeSpan.Zero : acks.Zip(acks.Skip(1), (a, b) => b.At - a.At).Max();
        }
    }

    /// <summary>Writes keys in order until <see cref="FinishAsync"/>; each write is retried until acknowledged or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; !_finish; i++)
        {
            await Task.Delay(s_pace, cancellationToken);
            var value = Encoding.UTF8.GetBytes(ValueOf(i));
            while (true)
            {
                try
                {
                    var pair = await _store.PutAsync(_key(i), value, cancellationToken: cancellationToken).WaitAsync(s_callTimeout, cancellationToken);
                    lock (_acknowledged)
                    {
                        _acknowledged.Add(new Acknowledgement(i, pair.Key, pair.LastIndex, _clock.Elapsed));
                    }

                    break;
                }
                catch (KvUnavailableException)
                {
                    Interlocked.Increment(ref _unavailable);
                }
                catch (KvOutcomeUnknownException)
                {
                    Interlocked.Increment(ref _outcomeUnknown);
                }

                await Task.Delay(50, cancellationToken);
            }
        }
    }

    /// <summary>Waits until at least <paramref name="writes"/> writes are acknowledged.</summary>
    public async Task WaitForProgressAsync(int writes, Task running, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (Acknowledged.Count < writes)
        {
            if (running.IsCompleted)
            {
                await running; // surfaces the writer's failure
            }

            Assert.True(deadline.Elapsed < timeout, $"the writer acknowledged only {Acknowledged.Count} of {writes} writes within {timeout.TotalSeconds:0} s");
            await Task.Delay(20);
        }
    }

    /// <summary>One acknowledged write.</summary>
    /// <param name="Number">Its position in the sequence.</param>
    /// <param name="Key">The key.</param>
    /// <param name="Index">The index the store returned.</param>
    /// <param name="At">When the acknowledgement arrived, on the shared clock.</param>
    public sealed record Acknowledgement(int Number, string Key, ulong Index, TimeSpan At);
}
