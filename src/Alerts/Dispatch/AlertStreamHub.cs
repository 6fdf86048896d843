using System.Collections.Concurrent;

namespace Resilience.Alerts.Dispatch;

/// <summary>
/// Fans committed alert changes out to live SSE clients. A client too slow to keep 256 events queued is
/// disconnected (its queue completed) rather than slowing the lifecycle; it reconnects with Last-Event-ID and
/// the endpoint replays the gap from the audit trail, so nothing is lost.
/// </summary>
internal sealed class AlertStreamHub
{
    private const int Capacity = 256;
    private readonly ConcurrentDictionary<long, AlertStreamSubscription> _subscribers = new();
    private long _nextId;

    /// <summary>Number of connected clients.</summary>
    public int Count => _subscribers.Count;

    /// <summary>Adds a client.</summary>
    public AlertStreamSubscription Subscribe()
    {
        var subscription = new AlertStreamSubscription(this, Interlocked.Increment(ref _nextId), Capacity);
        _subscribers[subscription.Id] = subscription;
        return subscription;
    }

    /// <summary>Removes a client.</summary>
    public void Unsubscribe(AlertStreamSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (_subscribers.TryRemove(subscription.Id, out _))
        {
            subscription.Channel.Writer.TryComplete();
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
