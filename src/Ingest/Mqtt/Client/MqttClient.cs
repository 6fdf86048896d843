using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// An MQTT 3.1.1 / 5.0 client: one connection at a time, reconnected by itself with exponential backoff and
/// jitter; QoS 0/1/2 both ways with the acknowledgement flows, an in-flight window for its own publishes and
/// exactly-once delivery of inbound QoS 2 by packet id. Received messages go to the bounded
/// <see cref="Messages"/> channel and/or an <see cref="IMqttMessageHandler"/>; when either is slow, the client
/// stops reading the socket (TCP pushes back to the broker) instead of dropping or buffering without bound.
/// Thread-safe: publish, subscribe and unsubscribe may be called concurrently.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly IMqttMessageHandler? _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<MqttReceivedMessage>? _messages;
    private readonly MqttInFlightWindow _window;
    private readonly MqttReconnectBackoff _backoff;
    private readonly CancellationTokenSource _stopCts = new();

    // Session state, guarded by _gate (never held across an await).
    private readonly Lock _gate = new();
    private readonly MqttPacketIdAllocator _ids = new();
    private readonly Dictionary<ushort, MqttOutboundEntry> _outbound = [];
    private readonly HashSet<ushort> _inboundQos2 = [];
    private readonly Dictionary<string, MqttSubscription> _subscriptions = new(StringComparer.Ordinal);
    private MqttClientConnection? _connection;
    private MqttClientConnection? _ready;
    private TaskCompletionSource _connectedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _stoppedReason;
    private long _generation;
    private long _sequence;
    private int _connectionCount;
    private bool _sessionPresent;
    private string _clientId;

    private int _started;
    private int _stopping;
    private Task? _supervisor;
    private long _received;

    /// <summary>Creates a client; nothing happens on the network until <see cref="ConnectAsync"/>.</summary>
    /// <param name="options">Settings; validated here (<see cref="ArgumentException"/> lists every problem).</param>
    /// <param name="handler">Optional consumer awaited per received message before it is acknowledged.</param>
    /// <param name="timeProvider">Clock for keep-alive, timeouts and backoff; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Logger; default none.</param>
    public MqttClient(MqttClientOptions options, IMqttMessageHandler? handler = null, TimeProvider? timeProvider = null, ILogger<MqttClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid MQTT client options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _handler = handler;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clientId = options.ClientId;
        _window = new MqttInFlightWindow(options.MaxInFlight);
        _backoff = new MqttReconnectBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay);
        if (options.ReceiveChannelCapacity > 0)
        {
            _messages = Channel.CreateBounded<MqttReceivedMessage>(new BoundedChannelOptions(options.ReceiveChannelCapacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleWriter = true,
            });
        }
    }

    /// <summary>
    /// Received messages, in arrival order. Bounded (<see cref="MqttClientOptions.ReceiveChannelCapacity"/>):
    /// while it is full the client reads nothing more from the broker. Completed when the client stops.
    /// </summary>
    /// <exception cref="InvalidOperationException">The channel is disabled (capacity 0).</exception>
    public ChannelReader<MqttReceivedMessage> Messages
        => _messages?.Reader ?? throw new InvalidOperationException("ReceiveChannelCapacity is 0: this client delivers to its handler only.");

    /// <summary>True while a connection is up and its session restored.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _ready is { IsAborted: false };
            }
        }
    }

    /// <summary>The client identifier in use (the broker's assigned one when the options left it empty).</summary>
    public string ClientId
    {
        get
        {
            lock (_gate)
            {
                return _clientId;
            }
        }
    }

    /// <summary>Successful connections so far (1 after <see cref="ConnectAsync"/>, +1 per reconnect).</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Session Present from the latest CONNACK.</summary>
    public bool SessionPresent
    {
        get
        {
            lock (_gate)
            {
                return _sessionPresent;
            }
        }
    }

    /// <summary>Unacknowledged QoS 1/2 publishes of this client.</summary>
    public int InFlight => _window.InUse;

    /// <summary>Application messages received so far (duplicates of inbound QoS 2 not counted).</summary>
    public long ReceivedCount => Interlocked.Read(ref _received);

    /// <summary>
    /// Connects (TCP, TLS when configured, CONNECT/CONNACK) and starts the background reader, keep-alive and
    /// reconnect loop. Call once. Throws when the first attempt fails (a refusal carries the broker's code);
    /// later losses are repaired in the background.
    /// </summary>
    /// <returns>Session Present: true when the broker resumed a stored session.</returns>
    public async Task<bool> ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopping) != 0, this);
        if (Interlocked.CompareExchange(ref _started, 1, 0) != 0)
        {
            throw new InvalidOperationException("ConnectAsync was already called; the client reconnects by itself.");
        }

        MqttClientConnection connection;
        try
        {
            (connection, MqttConnAckPacket ack) = await ConnectOnceAsync(cancellationToken);
            await ActivateAsync(connection, ack);
        }
        catch
        {
            Volatile.Write(ref _started, 0);
            throw;
        }

        _supervisor = Task.Run(() => SuperviseAsync(connection), CancellationToken.None);
        return SessionPresent;
    }

    /// <summary>
    /// Publishes one message. QoS 0 completes when the bytes are handed to the socket; QoS 1 and 2 take an
    /// in-flight slot (waiting for one when the window is full) and complete when the broker has acknowledged
    /// (PUBACK; PUBCOMP). A QoS 1/2 message survives reconnects: it is resent with DUP until acknowledged, even
    /// when <paramref name="cancellationToken"/> stops the caller's wait.
    /// </summary>
    /// <exception cref="ArgumentException">The topic is not a valid topic name.</exception>
    /// <exception cref="MqttClientException">The broker refused it (5.0 reason code ≥ 0x80), QoS 0 could not be written, or the client stopped.</exception>
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos = MqttQualityOfService.AtMostOnce, bool retain = false, CancellationToken cancellationToken = default)
    {
        MqttTopicValidator.ThrowIfInvalidTopicName(topic, nameof(topic));
        if (qos > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(qos));
        }

        return qos == MqttQualityOfService.AtMostOnce
            ? PublishAtMostOnceAsync(topic, payload, retain, cancellationToken)
            : PublishAcknowledgedAsync(topic, payload, qos, retain, cancellationToken);
    }

    /// <summary>Subscribes to one filter (wildcards and <c>$share/{group}/{filter}</c> allowed).</summary>
    /// <returns>The granted QoS.</returns>
    /// <exception cref="MqttClientException">The broker refused the subscription.</exception>
    public async Task<MqttQualityOfService> SubscribeAsync(string filter, MqttQualityOfService qos, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<byte> codes = await SubscribeAsync([new MqttSubscription { Filter = filter, Qos = qos }], cancellationToken);
        return (MqttQualityOfService)codes[0];
    }

    /// <summary>
    /// Subscribes to several filters in one SUBSCRIBE. Granted subscriptions are remembered and sent again
    /// after a reconnect whose CONNACK says the session is not present.
    /// </summary>
    /// <returns>One granted QoS per subscription.</returns>
    /// <exception cref="MqttClientException">The broker refused at least one filter (the others stay subscribed).</exception>
    public async Task<IReadOnlyList<byte>> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0)
        {
            throw new ArgumentException("At least one subscription is needed.", nameof(subscriptions));
        }

        var copy = new MqttSubscription[subscriptions.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            MqttSubscription s = subscriptions[i];
            MqttTopicValidator.ThrowIfInvalidFilter(s.Filter, nameof(subscriptions));
            if (s.Qos > MqttQualityOfService.ExactlyOnce)
            {
                throw new ArgumentOutOfRangeException(nameof(subscriptions), "QoS must be 0, 1 or 2.");
            }

            copy[i] = new MqttSubscription { Filter = s.Filter, Qos = s.Qos, NoLocal = s.NoLocal, RetainAsPublished = s.RetainAsPublished, RetainHandling = s.RetainHandling };
        }

        MqttOutboundEntry entry = await StartControlAsync(MqttPacketType.Subscribe, copy, null);
        IReadOnlyList<byte> codes = await entry.Completion.Task.WaitAsync(cancellationToken);
        for (int i = 0; i < codes.Count && i < copy.Length; i++)
        {
            if (codes[i] >= 0x80)
            {
                throw new MqttClientException($"The broker refused the subscription to '{copy[i].Filter}' (code 0x{codes[i]:X2}).", codes[i]);
            }
        }

        return codes;
    }

    /// <summary>Unsubscribes from filters; they are forgotten at once (no resubscription after a reconnect).</summary>
    public async Task UnsubscribeAsync(IReadOnlyList<string> filters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
        {
            throw new ArgumentException("At least one filter is needed.", nameof(filters));
        }

        string[] copy = [.. filters];
        foreach (string f in copy)
        {
            MqttTopicValidator.ThrowIfInvalidFilter(f, nameof(filters));
        }

        MqttOutboundEntry entry = await StartControlAsync(MqttPacketType.Unsubscribe, null, copy);
        await entry.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Unsubscribes from one filter.</summary>
    public Task UnsubscribeAsync(string filter, CancellationToken cancellationToken = default)
        => UnsubscribeAsync([filter], cancellationToken);

    /// <summary>
    /// Sends DISCONNECT (the broker discards the will), closes the connection and stops reconnecting.
    /// Unacknowledged publishes fail with <see cref="MqttClientException"/>; <see cref="Messages"/> completes.
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            if (_supervisor is { } running)
            {
                await running.WaitAsync(cancellationToken);
            }

            return;
        }

        MqttClientConnection? connection;
        lock (_gate)
        {
            _stoppedReason = new MqttClientException("The MQTT client was disconnected.");
            _connectedSignal.TrySetException(_stoppedReason);
            connection = _connection;
        }

        await _stopCts.CancelAsync();
        if (connection is { IsAborted: false })
        {
            // A socket the broker no longer reads must not hold the shutdown: DISCONNECT gets a few seconds.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            using CancellationTokenRegistration abortOnTimeout = linked.Token.UnsafeRegister(static c => ((MqttClientConnection)c!).Abort(), connection);
            try
            {
                await connection.EnterWriteAsync(linked.Token);
                try
                {
                    MqttPacketEncoder.WriteDisconnect(connection.Writer, new MqttDisconnectPacket(), connection.Version);
                    await FlushLockedAsync(connection);
                }
                finally
                {
                    connection.WriteLock.Release();
                }
            }
            catch (Exception ex) when (ex is MqttClientException or OperationCanceledException)
            {
                // The connection is going away anyway.
            }

            // Let the broker close first: closing a socket with unread input sends RST, which could lose the
            // DISCONNECT and fire the will.
            if (connection.ReadLoop is { } readLoop)
            {
                try
                {
                    await readLoop.WaitAsync(TimeSpan.FromSeconds(2), _time, CancellationToken.None);
                }
                catch (TimeoutException)
                {
                    // Closed below regardless.
                }
            }

            connection.Abort();
        }

        if (_supervisor is { } supervisor)
        {
            await supervisor.WaitAsync(cancellationToken);
        }

        FailPending(_stoppedReason!);
        _messages?.Writer.TryComplete();
        Log.Stopped(_logger, _clientId);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync(CancellationToken.None);
        _stopCts.Dispose();
    }

    /// <summary>
    /// Test hook: kills the socket without DISCONNECT, as a crash or a cut cable would (the broker then
    /// publishes the will). The client reconnects when <see cref="MqttClientOptions.AutoReconnect"/> is on.
    /// </summary>
    internal void AbortConnection()
    {
        MqttClientConnection? connection;
        lock (_gate)
        {
            connection = _connection;
        }

        connection?.Abort();
    }

    private async ValueTask PublishAtMostOnceAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        MqttClientConnection connection = await WaitForReadyAsync(cancellationToken);
        await connection.EnterWriteAsync(cancellationToken);
        try
        {
            EncodePublish(connection.Writer, connection.Version, topic, payload.Span, MqttQualityOfService.AtMostOnce, retain, 0);
            await FlushLockedAsync(connection);
        }
        finally
        {
            connection.WriteLock.Release();
        }
    }

    private async ValueTask PublishAcknowledgedAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, CancellationToken cancellationToken)
    {
        ThrowIfStoppedOrNotStarted();
        await _window.WaitAsync(cancellationToken);
        MqttOutboundEntry entry;
        MqttClientConnection? target;
        try
        {
            ushort id;
            long sequence;
            lock (_gate)
            {
                ThrowIfStoppedLocked();
                if (!_ids.TryAllocate(out id))
                {
                    throw new MqttClientException("All 65,535 packet identifiers are in use.");
                }

                sequence = ++_sequence;
            }

            MqttPooledBufferWriter writer = MqttPooledBufferWriter.Rent(payload.Length + (topic.Length * 3) + 16);
            try
            {
                EncodePublish(writer, _options.ProtocolVersion, topic, payload.Span, qos, retain, id);
            }
            catch
            {
                writer.Abandon();
                lock (_gate)
                {
                    _ids.Release(id);
                }

                throw;
            }

            byte[] buffer = writer.Detach(out int length);
            entry = new MqttOutboundEntry(MqttPacketType.Publish, id, qos, buffer, length, sequence);
            lock (_gate)
            {
                _outbound.Add(id, entry);
                target = _ready;
                if (target is not null)
                {
                    entry.Generation = _generation;
                }
            }
        }
        catch
        {
            _window.Release();
            throw;
        }

        if (target is not null)
        {
            await TryWriteEntryAsync(target, entry);
        }

        await entry.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task<MqttOutboundEntry> StartControlAsync(MqttPacketType kind, MqttSubscription[]? subscriptions, string[]? filters)
    {
        ThrowIfStoppedOrNotStarted();
        MqttOutboundEntry entry;
        MqttClientConnection? target;
        lock (_gate)
        {
            ThrowIfStoppedLocked();
            entry = CreateControlEntryLocked(kind, subscriptions, filters, ++_sequence);
            if (kind == MqttPacketType.Unsubscribe)
            {
                foreach (string f in filters!)
                {
                    _subscriptions.Remove(f);
                }
            }

            target = _ready;
            if (target is not null)
            {
                entry.Generation = _generation;
            }
        }

        if (target is not null)
        {
            await TryWriteEntryAsync(target, entry);
        }

        return entry;
    }

    private MqttOutboundEntry CreateControlEntryLocked(MqttPacketType kind, MqttSubscription[]? subscriptions, string[]? filters, long sequence)
    {
        if (!_ids.TryAllocate(out ushort id))
        {
            throw new MqttClientException("All 65,535 packet identifiers are in use.");
        }

        MqttPooledBufferWriter writer = MqttPooledBufferWriter.Rent(256);
        try
        {
            if (kind == MqttPacketType.Subscribe)
            {
                MqttPacketEncoder.WriteSubscribe(writer, new MqttSubscribePacket { PacketId = id, Subscriptions = subscriptions! }, _options.ProtocolVersion);
            }
            else
            {
                MqttPacketEncoder.WriteUnsubscribe(writer, new MqttUnsubscribePacket { PacketId = id, Filters = filters! }, _options.ProtocolVersion);
            }
        }
        catch
        {
            writer.Abandon();
            _ids.Release(id);
            throw;
        }

        byte[] buffer = writer.Detach(out int length);
        var entry = new MqttOutboundEntry(kind, id, MqttQualityOfService.AtLeastOnce, buffer, length, sequence)
        {
            Subscriptions = subscriptions,
            Filters = filters,
        };
        _outbound.Add(id, entry);
        return entry;
    }

    private static void EncodePublish(IBufferWriter<byte> output, MqttProtocolVersion version, string topic, ReadOnlySpan<byte> payload, MqttQualityOfService qos, bool retain, ushort packetId)
    {
        int max = Encoding.UTF8.GetMaxByteCount(topic.Length);
        byte[]? rented = null;
        Span<byte> topicBytes = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int n = Encoding.UTF8.GetBytes(topic, topicBytes);
            MqttPacketEncoder.WritePublish(output, version, topicBytes.Slice(0, n), payload, qos, retain, false, packetId);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private async ValueTask<MqttClientConnection> WaitForReadyAsync(CancellationToken cancellationToken)
    {
        ThrowIfStoppedOrNotStarted();
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                ThrowIfStoppedLocked();
                if (_ready is { IsAborted: false } ready)
                {
                    return ready;
                }

                signal = _connectedSignal.Task;
            }

            if (signal.IsCompletedSuccessfully)
            {
                // The connection died and the reader has not reported it yet: give it a moment.
                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken);
            }
            else
            {
                await signal.WaitAsync(cancellationToken);
            }
        }
    }

    private void ThrowIfStoppedOrNotStarted()
    {
        if (Volatile.Read(ref _started) == 0)
        {
            throw new InvalidOperationException("Call ConnectAsync first.");
        }
    }

    private void ThrowIfStoppedLocked()
    {
        if (_stoppedReason is not null)
        {
            throw new MqttClientException("The MQTT client is stopped.", _stoppedReason);
        }
    }

    private void FailPending(Exception reason)
    {
        List<MqttOutboundEntry> pending;
        lock (_gate)
        {
            pending = [.. _outbound.Values];
            _outbound.Clear();
            foreach (MqttOutboundEntry e in pending)
            {
                _ids.Release(e.PacketId);
            }
        }

        foreach (MqttOutboundEntry e in pending)
        {
            ArrayPool<byte>.Shared.Return(e.Buffer);
            if (e.Kind == MqttPacketType.Publish)
            {
                _window.Release();
            }

            e.Completion.TrySetException(new MqttClientException("The MQTT client stopped before the broker acknowledged.", reason));
        }
    }
}
