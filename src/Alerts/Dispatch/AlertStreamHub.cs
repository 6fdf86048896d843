using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;

namespace Resilience.Alerts.Dispatch;

/// <summary>
/// Fans committed alert changes out to live SSE clients. A client too slow to keep 256 events queued is
/// disconnected (its queue completed) rather than slowing the lifecycle; it reconnects with Last-Event-ID and
/// the endpoint replays the gap from the audit trail, so nothing is lost. Admission is capped in total and per
/// client address (<see cref="AlertStreamOptions"/>), so anonymous streams cannot exhaust connections or memory.
/// Each audit sequence number goes out at most once: the silo's own commits publish at once and the cluster's
/// <see cref="AlertFeedFollower"/> publishes everyone's, so the hub remembers the last <c>4096</c> numbers it sent
/// (and treats anything below them as sent) and drops a repeat.
/// </summary>
internal sealed class AlertStreamHub
{
    private const int Capacity = 256;
    private const int SeenCapacity = 4096;
    private readonly ConcurrentDictionary<long, AlertStreamSubscription> _subscribers = new();
    private readonly Dictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private readonly Lock _admission = new();
    private readonly Lock _fanOut = new();
    private readonly SortedSet<long> _seen = [];
    private readonly int _maxClients;
    private readonly int _maxPerAddress;
    private long _nextId;
    private int _count;
    private long _seenFloor = -1;

    /// <summary>A hub without admission limits (tests).</summary>
    public AlertStreamHub()
        : this(int.MaxValue, int.MaxValue)
    {
    }

    /// <summary>A hub with the configured limits.</summary>
    public AlertStreamHub(IOptions<AlertsOptions> options)
        : this(options?.Value.Stream.MaxClients ?? throw new ArgumentNullException(nameof(options)), options.Value.Stream.MaxClientsPerAddress)
    {
    }

    private AlertStreamHub(int maxClients, int maxPerAddress)
    {
        _maxClients = maxClients;
        _maxPerAddress = maxPerAddress;
    }

    /// <summary>Number of connected clients.</summary>
    public int Count => _subscribers.Count;

    /// <summary>Adds a client without an address (in-process readers).</summary>
    public AlertStreamSubscription Subscribe() =>
        TrySubscribe(string.Empty, out AlertStreamSubscription? subscription) == AlertStreamAdmission.Admitted
            ? subscription!
            : throw new InvalidOperationException("The alert stream is full.");

    /// <summary>Adds a client from <paramref name="address"/> when the limits allow.</summary>
    public AlertStreamAdmission TrySubscribe(string address, out AlertStreamSubscription? subscription)
    {
        ArgumentNullException.ThrowIfNull(address);
        subscription = null;
        lock (_admission)
        {
            if (_count >= _maxClients)
            {
                return AlertStreamAdmission.Full;
            }

            int mine = _perAddress.GetValueOrDefault(address);
            if (mine >= _maxPerAddress)
            {
                return AlertStreamAdmission.TooManyFromAddress;
            }

            _perAddress[address] = mine + 1;
            _count++;
        }

        subscription = new AlertStreamSubscription(this, Interlocked.Increment(ref _nextId), Capacity, address);
        _subscribers[subscription.Id] = subscription;
        return AlertStreamAdmission.Admitted;
    }

    /// <summary>Removes a client.</summary>
    public void Unsubscribe(AlertStreamSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (_subscribers.TryRemove(subscription.Id, out _))
        {
            subscription.Channel.Writer.TryComplete();
            lock (_admission)
            {
                _count--;
                int left = _perAddress.GetValueOrDefault(subscription.Address) - 1;
                if (left <= 0)
                {
                    _perAddress.Remove(subscription.Address);
                }
                else
                {
                    _perAddress[subscription.Address] = left;
                }
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="streamEvent"/> for every client, unless its sequence number was published before;
    /// false for such a repeat. Events may come out of sequence order (a commit of another silo that became
    /// visible late); clients get them in the order published.
    /// </summary>
    public bool Publish(AlertStreamEvent streamEvent)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        lock (_fanOut)
        {
            if (streamEvent.Seq <= _seenFloor || !_seen.Add(streamEvent.Seq))
            {
                return false;
            }

            if (_seen.Count > SeenCapacity)
            {
                _seenFloor = _seen.Min;
                _seen.Remove(_seenFloor);
            }

            foreach (KeyValuePair<long, AlertStreamSubscription> pair in _subscribers)
            {
                if (!pair.Value.Channel.Writer.TryWrite(streamEvent))
                {
                    Unsubscribe(pair.Value);
                }
            }
        }

        return true;
    }
}
