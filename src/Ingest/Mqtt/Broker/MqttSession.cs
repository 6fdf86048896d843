using System.Threading.Channels;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// State that outlives a connection: subscriptions, the bounded outbound queue, outbound messages in flight
/// and inbound QoS 2 packet ids awaiting PUBREL. Guarded by its own lock; the queue is a bounded channel.
/// </summary>
internal sealed class MqttSession
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ushort, MqttInflightMessage> _inflight = [];
    private readonly HashSet<ushort> _incomingQos2 = [];
    private readonly Dictionary<string, MqttSubscriber> _subscriptions = new(StringComparer.Ordinal);
    private readonly long _maxQueuedBytes;
    private readonly MqttQueueBudget? _budget;
    private ushort _nextPacketId;
    private long _sequence;
    private long _queuedBytes;

    public MqttSession(string clientId, int maxQueuedMessages, long maxQueuedBytes = long.MaxValue, MqttQueueBudget? budget = null)
    {
        ClientId = clientId;
        _maxQueuedBytes = maxQueuedBytes;
        _budget = budget;
        Queue = Channel.CreateBounded<MqttQueuedMessage>(new BoundedChannelOptions(maxQueuedMessages)
        {
            // The send loop reads; EndSession also drains, to return the bytes to the budget.
            SingleReader = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string ClientId { get; }

    public Channel<MqttQueuedMessage> Queue { get; }

    /// <summary>The connection currently attached, or null while offline.</summary>
    public MqttBrokerConnection? Connection { get; set; }

    public bool IsOnline => Connection is not null;

    /// <summary>The user that owns the session (null: anonymous); another user may not take it over.</summary>
    public string? UserName { get; set; }

    /// <summary>Payload, topic and property bytes waiting in <see cref="Queue"/>.</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    public int SubscriptionCount
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>Session expiry in seconds after disconnect (uint.MaxValue = never; 0 = at disconnect).</summary>
    public uint ExpiryInterval { get; set; }

    /// <summary>Cancels a pending expiry or delayed will when the client comes back.</summary>
    public CancellationTokenSource? PendingTimers { get; set; }

    /// <summary>A will waiting for its Will Delay Interval (guarded by the broker's sessions lock).</summary>
    public MqttWillMessage? PendingWill { get; set; }

    /// <summary>True once the session ended (clean start, expiry, takeover of a session that expires at disconnect).</summary>
    public bool Ended { get; private set; }

    /// <summary>Topic-tree scratch for merging overlapping subscriptions (guarded by the tree's lock).</summary>
    public int MatchStamp { get; set; }

    /// <summary>Topic-tree scratch (guarded by the tree's lock).</summary>
    public int MatchIndex { get; set; }

    /// <summary>Queues a message; false when the queue is full by count or bytes, here or broker-wide (the message is dropped).</summary>
    public bool TryEnqueue(in MqttQueuedMessage message)
    {
        long size = MqttRetainedStore.SizeOf(message.Message);
        if (Interlocked.Add(ref _queuedBytes, size) > _maxQueuedBytes)
        {
            Interlocked.Add(ref _queuedBytes, -size);
            return false;
        }

        if (_budget is not null && !_budget.TryTake(size))
        {
            Interlocked.Add(ref _queuedBytes, -size);
            return false;
        }

        if (!Queue.Writer.TryWrite(message))
        {
            Interlocked.Add(ref _queuedBytes, -size);
            _budget?.Return(size);
            return false;
        }

        return true;
    }

    /// <summary>Takes the next queued message (send loop), returning its bytes to the budgets.</summary>
    public bool TryDequeue(out MqttQueuedMessage message)
    {
        if (!Queue.Reader.TryRead(out message))
        {
            return false;
        }

        long size = MqttRetainedStore.SizeOf(message.Message);
        Interlocked.Add(ref _queuedBytes, -size);
        _budget?.Return(size);
        return true;
    }

    /// <summary>Closes the queue and drops what is left (the session ended).</summary>
    public void Close()
    {
        Queue.Writer.TryComplete();
        while (TryDequeue(out _))
        {
        }
    }

    /// <summary>Adds or replaces a subscription; true when one with the same filter existed.</summary>
    public bool SetSubscription(MqttSubscriber subscriber)
    {
        lock (_lock)
        {
            bool existed = _subscriptions.ContainsKey(subscriber.Filter);
            _subscriptions[subscriber.Filter] = subscriber;
            return existed;
        }
    }

    public bool HasSubscription(string filter)
    {
        lock (_lock)
        {
            return _subscriptions.ContainsKey(filter);
        }
    }

    /// <summary>Removes a subscription and marks it removed, so that nothing queued for it is sent afterwards.</summary>
    public bool RemoveSubscription(string filter)
    {
        lock (_lock)
        {
            if (_subscriptions.Remove(filter, out MqttSubscriber? removed))
            {
                removed.Removed = true;
                return true;
            }

            return false;
        }
    }

    public MqttSubscriber[] TakeSubscriptions()
    {
        lock (_lock)
        {
            MqttSubscriber[] all = [.. _subscriptions.Values];
            _subscriptions.Clear();
            foreach (MqttSubscriber subscriber in all)
            {
                subscriber.Removed = true;
            }

            Ended = true;
            return all;
        }
    }

    public int InflightCount
    {
        get
        {
            lock (_lock)
            {
                return _inflight.Count;
            }
        }
    }

    /// <summary>Assigns a free packet id and records the message as in flight.</summary>
    public ushort AddInflight(in MqttQueuedMessage message)
    {
        lock (_lock)
        {
            do
            {
                _nextPacketId = _nextPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_nextPacketId + 1);
            }
            while (_inflight.ContainsKey(_nextPacketId));

            _inflight.Add(_nextPacketId, new MqttInflightMessage(message, ++_sequence));
            return _nextPacketId;
        }
    }

    /// <summary>PUBACK or PUBCOMP: completes the message when it is in the <paramref name="expected"/> state.</summary>
    public MqttAckOutcome Complete(ushort packetId, MqttInflightState expected)
    {
        lock (_lock)
        {
            if (!_inflight.TryGetValue(packetId, out MqttInflightMessage? m))
            {
                return MqttAckOutcome.Unknown;
            }

            if (m.State != expected)
            {
                return MqttAckOutcome.WrongFlow;
            }

            _inflight.Remove(packetId);
            return MqttAckOutcome.Done;
        }
    }

    /// <summary>PUBREC: moves a QoS 2 message to awaiting PUBCOMP (or drops it on a failure code).</summary>
    public MqttAckOutcome Released(ushort packetId, bool failed)
    {
        lock (_lock)
        {
            if (!_inflight.TryGetValue(packetId, out MqttInflightMessage? m))
            {
                return MqttAckOutcome.Unknown;
            }

            if (m.State == MqttInflightState.AwaitingPubAck)
            {
                return MqttAckOutcome.WrongFlow;
            }

            if (failed)
            {
                _inflight.Remove(packetId);
            }
            else
            {
                m.State = MqttInflightState.AwaitingPubComp;
            }

            return MqttAckOutcome.Done;
        }
    }

    /// <summary>Messages in flight in the order they were first sent (for resending after a reconnect).</summary>
    public List<KeyValuePair<ushort, MqttInflightMessage>> SnapshotInflight()
    {
        lock (_lock)
        {
            var list = new List<KeyValuePair<ushort, MqttInflightMessage>>(_inflight);
            list.Sort(static (a, b) => a.Value.Sequence.CompareTo(b.Value.Sequence));
            return list;
        }
    }

    /// <summary>Records an inbound QoS 2 id; false when it is already there (a duplicate delivery).</summary>
    public bool AddIncomingQos2(ushort packetId)
    {
        lock (_lock)
        {
            return _incomingQos2.Add(packetId);
        }
    }

    public int IncomingQos2Count
    {
        get
        {
            lock (_lock)
            {
                return _incomingQos2.Count;
            }
        }
    }

    public bool RemoveIncomingQos2(ushort packetId)
    {
        lock (_lock)
        {
            return _incomingQos2.Remove(packetId);
        }
    }
}
