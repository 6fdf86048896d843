using System.Threading.Channels;

namespace Resilience.Alerts.Dispatch;

/// <summary>One live SSE client's bounded queue; disposing it unsubscribes.</summary>
internal sealed class AlertStreamSubscription : IDisposable
{
    private readonly AlertStreamHub _hub;

    /// <summary>Creates a subscription with room for <paramref name="capacity"/> events.</summary>
    public AlertStreamSubscription(AlertStreamHub hub, long id, int capacity, string address)
    {
        _hub = hub;
        Id = id;
        Address = address;
        Channel = System.Threading.Channels.Channel.CreateBounded<AlertStreamEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The client's address (the per-address limit's key).</summary>
    public string Address { get; }

    /// <summary>Subscription id.</summary>
    public long Id { get; }

    /// <summary>The queue (the hub writes, the SSE endpoint reads).</summary>
    public Channel<AlertStreamEvent> Channel { get; }

    /// <inheritdoc />
    public void Dispose() => _hub.Unsubscribe(this);
}
