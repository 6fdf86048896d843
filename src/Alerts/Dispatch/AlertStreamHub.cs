using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;

namespace Resilience.Alerts.Dispatch;

/// <summary>
/// Fans committed alert changes out to live SSE clients. A client too slow to keep 256 events queued is
/// disconnected (its queue completed) rather than slowing the lifecycle; it reconnects with Last-Event-ID and
/// the endpoint replays the gap from the audit trail, so nothing is lost. Admission is capped in total and per
/// client address (<see cref="AlertStreamOptions"/>), so anonymous streams cannot exhaust connections or memory.
/// </summary>
internal sealed class AlertStreamHub
{
    private const int Capacity = 256;
    private readonly ConcurrentDictionary<long, AlertStreamSubscription> _subscribers = new();
    private readonly Dictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private readonly Lock _admission = new();
    private readonly int _maxClients;
    private readonly int _maxPerAddress;
    private long _nextId;
    private int _count;

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

    /// <summary>Queues <paramref name="streamEvent"/> for every client.</summary>
    public void Publish(AlertStreamEvent streamEvent)
    {
        foreach (KeyValuePair<long, AlertStreamSubscription> pair in _subscribers)
        {
            if (!pair.Value.Channel.Writer.TryWrite(streamEvent))
            {
                Unsubscribe(pair.Value);
            }
        }
    }
}
