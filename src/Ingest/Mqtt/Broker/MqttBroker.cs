using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// The embedded MQTT 3.1.1/5.0 broker: a TCP (optionally TLS) listener with one asynchronous connection loop
/// per client on pipes, a topic tree with shared subscriptions, retained messages, QoS 0–2 both ways,
/// persistent sessions with bounded queues, wills, keep-alive enforcement, authentication and ACLs. The silo
/// consumes in process through <see cref="SubscribeInProcess"/>: the publisher's connection awaits the handler.
/// </summary>
internal sealed partial class MqttBroker : IAsyncDisposable
{
    private readonly MqttBrokerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MqttBrokerMetrics _metrics;
    private readonly MqttTopicTree _tree = new();
    private readonly MqttRetainedStore _retained;
    private readonly MqttQueueBudget _queueBudget;
    private readonly MqttAuthThrottle _authThrottle;
    private readonly MqttConnectionLimiter _limiter;
    private readonly IMqttDeviceDirectory? _directory;
    private readonly Lock _sessionsLock = new();
    private readonly Dictionary<string, MqttSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<MqttBrokerConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Dictionary<string, string> _users = new(StringComparer.Ordinal);
    private string _dummyHash = string.Empty;
    private DateTime _passwordFileWritten;
    private long _passwordChecks;
    private Socket? _listener;
    private Task? _acceptLoop;
    private Task? _sweepLoop;

    public MqttBroker(IOptions<MqttBrokerOptions> options, ILogger<MqttBroker> logger, TimeProvider time, IMeterFactory? meterFactory = null, IMqttDeviceDirectory? directory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _time = time;
        _metrics = new MqttBrokerMetrics(meterFactory);
        _retained = new MqttRetainedStore(_options.MaxRetainedMessages, _options.MaxRetainedBytes);
        _queueBudget = new MqttQueueBudget(_options.MaxQueuedBytesTotal);
        _authThrottle = new MqttAuthThrottle(_options, time);
        _limiter = new MqttConnectionLimiter(_options, time);
        _directory = directory;
    }

    /// <summary>The bound endpoint once started (useful with Port 0).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    internal MqttBrokerOptions Options => _options;

    internal ILogger Logger => _logger;

    internal TimeProvider Time => _time;

    internal MqttBrokerMetrics Metrics => _metrics;

    internal MqttTopicTree Tree => _tree;

    internal X509Certificate2? Certificate { get; private set; }

    /// <summary>CA certificates client certificates must chain to.</summary>
    internal X509Certificate2Collection? ClientCertificateAuthorities { get; private set; }

    internal MqttQueueBudget QueueBudget => _queueBudget;

    /// <summary>Retained messages held (for tests and operators).</summary>
    internal int RetainedCount => _retained.Count;

    /// <summary>Bytes of the retained messages held.</summary>
    internal long RetainedBytes => _retained.Bytes;

    /// <summary>Bytes queued for network subscribers over all sessions.</summary>
    internal long QueuedBytes => _queueBudget.Used;

    /// <summary>Passwords actually checked (a throttled login is refused without a check).</summary>
    internal long PasswordChecks => Interlocked.Read(ref _passwordChecks);

    /// <summary>Open connections from <paramref name="address"/>, as counted for the per-address limit.</summary>
    internal int ConnectionsFrom(IPAddress address) => _limiter.ConnectionsFrom(address);

    /// <summary>Sessions held, online and offline.</summary>
    internal int SessionCount
    {
        get
        {
            lock (_sessionsLock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Binds the listener and starts accepting; returns once listening.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            return Task.CompletedTask;
        }

        LoadUsers();
        if (!string.IsNullOrEmpty(_options.TlsCertificatePath))
        {
            Certificate = X509CertificateLoader.LoadPkcs12FromFile(_options.TlsCertificatePath, _options.TlsCertificatePassword);
            if (!string.IsNullOrEmpty(_options.TlsClientCaPath))
            {
                var authorities = new X509Certificate2Collection();
                authorities.ImportFromPemFile(_options.TlsClientCaPath);
                ClientCertificateAuthorities = authorities;
            }
        }

        if (_users.Count == 0 && !_options.AllowAnonymous && !_options.UseCertificateIdentity)
        {
            Log.NoUsers(_logger);
        }

        IPAddress address = IPAddress.Parse(_options.BindAddress);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (address.Equals(IPAddress.IPv6Any))
        {
            listener.DualMode = true;
        }

        listener.Bind(new IPEndPoint(address, _options.Port));
        listener.Listen(1024);
        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
        _sweepLoop = SweepLoopAsync(_stopping.Token);
        Log.Listening(_logger, LocalEndPoint, Certificate is not null);
        return Task.CompletedTask;
    }

    /// <summary>Stops accepting, closes every connection (v5 clients get DISCONNECT 0x8B) and waits for their loops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is null || _stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Dispose();
        var closing = new List<Task>();
        foreach (MqttBrokerConnection connection in _connections.Keys)
        {
            connection.Abort(MqttReasonCode.ServerShuttingDown);
            closing.Add(connection.Completion);
        }

        try
        {
            await Task.WhenAll(closing).WaitAsync(cancellationToken);
            await Task.WhenAll(_acceptLoop ?? Task.CompletedTask, _sweepLoop ?? Task.CompletedTask).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout won; the sockets are closed anyway.
        }

        Log.Stopped(_logger);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
        _metrics.Dispose();
        Certificate?.Dispose();
    }

    /// <summary>
    /// Subscribes an in-process handler (no socket). Messages matching <paramref name="topicFilter"/> are handed to it
    /// while the publisher's connection waits (backpressure). Retained messages are not replayed to in-process handlers.
    /// </summary>
    public IDisposable SubscribeInProcess(string topicFilter, IMqttMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(topicFilter);
        ArgumentNullException.ThrowIfNull(handler);
        string inner = topicFilter;
        if (MqttTopic.TrySplitShared(topicFilter, out string group, out string shared))
        {
            inner = group.Length == 0 ? string.Empty : shared;
        }

        if (!MqttTopic.IsValidFilter(inner))
        {
            throw new ArgumentException($"'{topicFilter}' is not a valid topic filter.", nameof(topicFilter));
        }

        _tree.Add(new MqttSubscriber(topicFilter, null, handler, MqttQualityOfService.ExactlyOnce));
        return new MqttInProcessSubscription(_tree, topicFilter, handler);
    }

    /// <summary>Publishes from inside the process (no ACL). Completes once in-process handlers ran and network sessions were queued.</summary>
    public async ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!MqttTopic.IsValidName(topic) || topic.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{topic}' is not a valid topic name.", nameof(topic));
        }

        byte[] topicBytes = Encoding.UTF8.GetBytes(topic);
        if (topicBytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException("Topic longer than 65,535 bytes.", nameof(topic));
        }

        await RouteAsync(topicBytes, payload, qos, retain, default, null, [], cancellationToken);
    }

    /// <summary>True when at least one subscription (network or in-process) matches <paramref name="topic"/>; for readiness checks.</summary>
    internal bool HasSubscribers(string topic)
    {
        var matches = new List<MqttMatch>();
        _tree.Match(Encoding.UTF8.GetBytes(topic), matches);
        return matches.Count > 0;
    }

    /// <summary>Counters for <c>/metrics</c>.</summary>
    public MqttBrokerMetricsSnapshot GetMetricsSnapshot() => _metrics.Snapshot();

    /// <summary>Routes one message: retained store, in-process handlers (awaited), network sessions (queued).</summary>
    internal async ValueTask RouteAsync(
        ReadOnlyMemory<byte> topic,
        ReadOnlyMemory<byte> payload,
        MqttQualityOfService qos,
        bool retain,
        ReadOnlyMemory<byte> properties,
        string? originClientId,
        List<MqttMatch> matches,
        CancellationToken cancellationToken,
        MqttAcknowledgement? acknowledgement = null)
    {
        _metrics.Received();
        MqttApplicationMessage? message = null;
        if (retain)
        {
            message = CreateMessage(topic, payload, qos, true, properties, originClientId);
            if (!_retained.Set(message))
            {
                _metrics.Rejected();
                Log.RetainedLimit(_logger, _options.MaxRetainedMessages, _options.MaxRetainedBytes);
            }
        }

        _tree.Match(topic.Span, matches);
        try
        {
            for (int i = 0; i < matches.Count; i++)
            {
                MqttMatch match = matches[i];
                MqttSubscriber subscriber = match.Subscriber;
                var deliveryQos = (MqttQualityOfService)Math.Min((int)qos, (int)match.Qos);
                if (subscriber.Handler is not null)
                {
                    try
                    {
                        await subscriber.Handler.HandleAsync(new MqttInboundMessage(topic, payload, deliveryQos, false, deliveryQos == MqttQualityOfService.AtMostOnce ? null : acknowledgement), cancellationToken);
                        _metrics.Delivered();
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (MqttDeliveryFailedException) when (deliveryQos != MqttQualityOfService.AtMostOnce && originClientId is not null)
                    {
                        // Not acknowledged: the publisher's connection closes and the client re-sends.
                        throw;
                    }
                    catch (Exception ex)
                    {
                        _metrics.Dropped();
                        Log.HandlerFailed(_logger, subscriber.Filter, ex);
                    }

                    continue;
                }

                MqttSession session = subscriber.Session!;
                if (subscriber.Removed || (subscriber.NoLocal && string.Equals(originClientId, session.ClientId, StringComparison.Ordinal)))
                {
                    continue;
                }

                if (deliveryQos == MqttQualityOfService.AtMostOnce && !session.IsOnline)
                {
                    // Like mosquitto: QoS 0 is not queued for offline clients.
                    continue;
                }

                // Read access was checked when the filter was subscribed.
                message ??= CreateMessage(topic, payload, qos, retain, properties, originClientId);
                if (!session.TryEnqueue(new MqttQueuedMessage(message, deliveryQos, subscriber.RetainAsPublished && retain, subscriber.SubscriptionId, subscriber)))
                {
                    _metrics.Dropped();
                    CutOffSlowReader(session);
                }
            }
        }
        finally
        {
            matches.Clear();
        }
    }

    /// <summary>Queues the retained messages matching a new subscription.</summary>
    internal void EnqueueRetained(MqttSession session, MqttSubscriber subscriber)
    {
        long now = _time.GetTimestamp();
        foreach (MqttApplicationMessage message in _retained.Matching(subscriber.Filter))
        {
            if (message.ExpiresAt <= now)
            {
                // [MQTT-3.3.2-5]: an expired retained message is deleted, not delivered.
                _retained.Remove(message);
                continue;
            }

            var qos = (MqttQualityOfService)Math.Min((int)message.Qos, (int)subscriber.Qos);
            if (!session.TryEnqueue(new MqttQueuedMessage(message, qos, true, subscriber.SubscriptionId, subscriber)))
            {
                _metrics.Dropped();
                CutOffSlowReader(session);
                return;
            }
        }
    }

    /// <summary>An online client whose queue is full reads too slowly for what it subscribed to: disconnect it.</summary>
    private void CutOffSlowReader(MqttSession session)
    {
        MqttBrokerConnection? connection = session.Connection;
        if (connection is not null && connection.CutOff())
        {
            Log.SlowReader(_logger, session.ClientId, session.QueuedBytes);
            connection.Abort(MqttReasonCode.QuotaExceeded);
        }
    }

    /// <summary>
    /// Checks a login. <paramref name="identity"/> is the user the client acts as (null: anonymous). Refused logins
    /// count towards the per-address and per-user back-off; during a back-off logins are refused unchecked.
    /// </summary>
    internal MqttReasonCode Authenticate(IPAddress? address, string? userName, byte[]? password, string? certificateIdentity, out string? identity, out bool verified)
    {
        identity = null;
        verified = false;
        if (certificateIdentity is not null)
        {
            identity = certificateIdentity;
            verified = true;
            return MqttReasonCode.Success;
        }

        if (userName is null || _users.Count == 0)
        {
            // No credentials, or no user database to check them against: anonymous (with the anonymous role), the
            // unchecked name only fills %u in ACL patterns and owns the session, as in mosquitto.
            identity = userName;
            return _options.AllowAnonymous ? MqttReasonCode.Success : MqttReasonCode.NotAuthorized;
        }

        if (_authThrottle.IsBlocked(address, userName))
        {
            _metrics.Rejected();
            return MqttReasonCode.BadUserNameOrPassword;
        }

        Interlocked.Increment(ref _passwordChecks);
        bool known = _users.TryGetValue(userName, out string? stored);
        bool ok = MqttPasswordVerifier.Verify(known ? stored! : _dummyHash, password ?? []) && known && password is not null;
        if (ok)
        {
            _authThrottle.Succeeded(address, userName);
            identity = userName;
            verified = true;
            return MqttReasonCode.Success;
        }

        _authThrottle.Failed(address, userName);
        return MqttReasonCode.BadUserNameOrPassword;
    }

    /// <summary>Compiles what a client may do (its role, its device's province, extra ACL grants).</summary>
    internal MqttPermissions CreatePermissions(string? identity, bool verified, string clientId) => MqttPermissions.Create(_options, _directory, identity, verified, clientId);

    /// <summary>True when <paramref name="clientId"/> is another user's name: device client ids are reserved for their device.</summary>
    internal bool IsReservedClientId(string clientId, string? identity)
        => !string.Equals(clientId, identity, StringComparison.Ordinal) && _users.ContainsKey(clientId);

    /// <summary>Binds a connection to its session (new, resumed or taken over). Returns the session and Session Present.</summary>
    internal (MqttSession? Session, bool Present, MqttBrokerConnection? Previous) AttachSession(MqttBrokerConnection connection, string clientId, string? userName, bool cleanStart, uint expiry)
    {
        MqttBrokerConnection? previous = null;
        MqttSession? ended = null;
        MqttWillMessage? endedWill = null;
        MqttSession? session;
        bool present;
        lock (_sessionsLock)
        {
            if (_sessions.TryGetValue(clientId, out session))
            {
                if (!string.Equals(session.UserName, userName, StringComparison.Ordinal))
                {
                    // Sessions are bound to their user: no one else resumes its queue or kicks its connection.
                    return (null, false, null);
                }

                previous = session.Connection;
                session.PendingTimers?.Cancel();
                session.PendingTimers = null;
                MqttWillMessage? pendingWill = session.PendingWill;
                session.PendingWill = null;

                // A session with expiry 0 (3.1.1: Clean Session 1) lasts only as long as its network connection
                // ([MQTT-3.1.2-23], 3.1.1 [MQTT-3.1.2-6]); taking that connection over ends it, so it is not present.
                if (cleanStart || session.ExpiryInterval == 0)
                {
                    ended = session;
                    _sessions.Remove(clientId);
                    session = null;

                    // The session ends before the Will Delay Interval passed: the will goes out now [MQTT-3.1.3-9].
                    endedWill = pendingWill;
                }

                // Otherwise a new connection to the session within the will delay: the will is not sent [MQTT-3.1.3-9].
            }

            present = session is not null;
            if (session is null)
            {
                session = new MqttSession(clientId, _options.MaxQueuedMessages, _options.MaxQueuedBytes, _queueBudget);
                _sessions.Add(clientId, session);
            }

            session.Connection = connection;
            session.ExpiryInterval = expiry;
            session.UserName = userName;
        }

        if (previous is not null)
        {
            Log.SessionTakenOver(_logger, clientId);
        }

        if (ended is not null)
        {
            EndSession(ended);
        }

        if (endedWill is not null)
        {
            PublishWill(endedWill);
        }

        return (session, present, previous);
    }

    /// <summary>Called once per connection when its loop ends: detaches the session, publishes or schedules the will, expires the session.</summary>
    internal void OnConnectionClosed(MqttBrokerConnection connection, MqttWillMessage? will)
    {
        if (_connections.TryRemove(connection, out _))
        {
            _metrics.ConnectionClosed();
            if (connection.RemoteAddress is not null)
            {
                _limiter.Release(connection.RemoteAddress);
            }
        }

        MqttSession? session = connection.Session;
        if (session is null)
        {
            return;
        }

        bool current;
        uint expiry;
        lock (_sessionsLock)
        {
            current = ReferenceEquals(session.Connection, connection);
            if (current)
            {
                session.Connection = null;
            }

            expiry = session.ExpiryInterval;
        }

        if (!current || session.Ended)
        {
            // Taken over (MQTT 5.0 §3.1.4: the existing client's will is published as §3.1.2.5 says): without a
            // Will Delay Interval, or when the takeover ended the session, the will goes out now; with a delay and
            // a new connection to the same session, it is not sent [MQTT-3.1.3-9].
            if (will is not null && (session.Ended || (will.Properties?.WillDelayInterval ?? 0) == 0))
            {
                PublishWill(will);
            }

            return;
        }

        CancellationTokenSource? timers = null;
        uint willDelay = will?.Properties?.WillDelayInterval ?? 0;
        if (expiry == 0)
        {
            EndSession(session, removeFromMap: true);
            willDelay = 0;
        }
        else if (expiry != uint.MaxValue || willDelay > 0)
        {
            timers = new CancellationTokenSource();
            lock (_sessionsLock)
            {
                session.PendingTimers = timers;
            }

            if (expiry != uint.MaxValue)
            {
                _ = ExpireLaterAsync(session, TimeSpan.FromSeconds(expiry), timers.Token);
            }
        }

        if (will is not null)
        {
            if (willDelay == 0 || timers is null)
            {
                PublishWill(will);
            }
            else
            {
                lock (_sessionsLock)
                {
                    session.PendingWill = will;
                }

                _ = PublishWillLaterAsync(session, will, TimeSpan.FromSeconds(Math.Min(willDelay, expiry)), timers.Token);
            }
        }
    }

    internal void Register(MqttBrokerConnection connection)
    {
        _connections.TryAdd(connection, 0);
        _metrics.ConnectionOpened();
    }

    private void EndSession(MqttSession session, bool removeFromMap = false)
    {
        if (removeFromMap)
        {
            lock (_sessionsLock)
            {
                if (_sessions.TryGetValue(session.ClientId, out MqttSession? s) && ReferenceEquals(s, session))
                {
                    _sessions.Remove(session.ClientId);
                }
            }
        }

        foreach (MqttSubscriber subscriber in session.TakeSubscriptions())
        {
            _tree.Remove(subscriber.Filter, session, null);
        }

        session.Close();
    }

    private async Task ExpireLaterAsync(MqttSession session, TimeSpan after, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(after, _time, cancellationToken);
            bool expire;
            lock (_sessionsLock)
            {
                expire = session.Connection is null && !cancellationToken.IsCancellationRequested;
            }

            if (expire)
            {
                EndSession(session, removeFromMap: true);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PublishWillLaterAsync(MqttSession session, MqttWillMessage will, TimeSpan after, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(after, _time, cancellationToken);
            bool due;
            lock (_sessionsLock)
            {
                // Still pending: the client did not come back (a reconnect takes the will in AttachSession).
                due = ReferenceEquals(session.PendingWill, will);
                if (due)
                {
                    session.PendingWill = null;
                }
            }

            if (due)
            {
                PublishWill(will);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void PublishWill(MqttWillMessage will)
    {
        Log.PublishingWill(_logger, will.Topic);
        byte[] topic = Encoding.UTF8.GetBytes(will.Topic);
        _ = PublishWillCoreAsync(topic, will);
    }

    private async Task PublishWillCoreAsync(byte[] topic, MqttWillMessage will)
    {
        try
        {
            await RouteAsync(topic, will.Payload, will.Qos, will.Retain, WillPublishProperties(will.Properties), null, [], _stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private MqttApplicationMessage CreateMessage(ReadOnlyMemory<byte> topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, ReadOnlyMemory<byte> properties, string? originClientId)
    {
        if (properties.IsEmpty)
        {
            return new(topic.ToArray(), payload.ToArray(), qos, retain, null, originClientId);
        }

        byte[]? forwarded = ForwardableProperties(properties.Span, out int expiryOffset, out uint expirySeconds);
        long expiresAt = long.MaxValue;
        if (expiryOffset >= 0 && expirySeconds > 0)
        {
            // [MQTT-3.3.2-5]: the lifetime starts when the server receives the message. 0 means no expiry, as mosquitto reads it.
            expiresAt = _time.GetTimestamp() + (long)expirySeconds * _time.TimestampFrequency;
        }

        return new(topic.ToArray(), payload.ToArray(), qos, retain, forwarded, originClientId, expiresAt, expiresAt == long.MaxValue ? -1 : expiryOffset);
    }

    /// <summary>
    /// The publisher's v5 properties minus its Topic Alias (which is per connection); null when nothing is left.
    /// <paramref name="expiryOffset"/> is where the Message Expiry Interval's value sits in the result (-1 when absent).
    /// </summary>
    private static byte[]? ForwardableProperties(ReadOnlySpan<byte> block, out int expiryOffset, out uint expirySeconds)
    {
        expiryOffset = -1;
        expirySeconds = 0;
        var buffer = new ArrayBufferWriter<byte>(block.Length);
        var reader = new MqttPropertyReader(block);
        int start = 0;
        while (reader.MoveNext())
        {
            int end = reader.Position;
            if (reader.Id != MqttPropertyId.TopicAlias && reader.Id != MqttPropertyId.SubscriptionIdentifier)
            {
                if (reader.Id == MqttPropertyId.MessageExpiryInterval)
                {
                    expiryOffset = buffer.WrittenCount + 1;
                    expirySeconds = reader.Value;
                }

                buffer.Write(block.Slice(start, end - start));
            }

            start = end;
        }

        return buffer.WrittenCount == 0 ? null : buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The PUBLISH properties of a will: every will property except the Will Delay Interval (payload format,
    /// message expiry, content type, response topic, correlation data, user properties; MQTT 5.0 §3.1.3.2).
    /// </summary>
    internal static byte[] WillPublishProperties(MqttProperties? will)
    {
        if (will is null)
        {
            return [];
        }

        var p = new MqttProperties
        {
            PayloadFormatIndicator = will.PayloadFormatIndicator,
            MessageExpiryInterval = will.MessageExpiryInterval,
            ContentType = will.ContentType,
            ResponseTopic = will.ResponseTopic,
            CorrelationData = will.CorrelationData,
            UserProperties = will.UserProperties,
        };
        byte[] block = new byte[p.GetBlockLength()];
        var w = new MqttSpanWriter(block);
        p.WriteBlock(ref w);
        return block;
    }

    /// <summary>Re-reads the password file when it changed (a device added or rotated), within 10 s; a bad read keeps the old users.</summary>
    private void ReloadUsersIfChanged()
    {
        if (string.IsNullOrEmpty(_options.PasswordFile))
        {
            return;
        }

        try
        {
            if (File.GetLastWriteTimeUtc(_options.PasswordFile) != _passwordFileWritten)
            {
                LoadUsers();
            }
        }
        catch (IOException ex)
        {
            Log.PasswordFileUnreadable(_logger, _options.PasswordFile, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            Log.PasswordFileUnreadable(_logger, _options.PasswordFile, ex.Message);
        }
    }

    private void LoadUsers()
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(_options.PasswordFile))
        {
            _passwordFileWritten = File.GetLastWriteTimeUtc(_options.PasswordFile);
            foreach (KeyValuePair<string, string> entry in MqttPasswordVerifier.ReadPasswordFile(_options.PasswordFile))
            {
                users[entry.Key] = entry.Value;
            }

            Log.PasswordFileLoaded(_logger, _options.PasswordFile, users.Count);
        }

        foreach (MqttBrokerUserOptions user in _options.Users)
        {
            users[user.UserName] = user.Password;
        }

        Volatile.Write(ref _users, users);

        // Unknown users are checked against this, so they take as long as known ones.
        if (_dummyHash.Length == 0)
        {
            _dummyHash = MqttPasswordVerifier.HashPbkdf2(Guid.NewGuid().ToString("N"));
        }
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.AcceptFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, CancellationToken.None);
                continue;
            }
            catch (SocketException)
            {
                return;
            }

            if (_connections.Count >= _options.MaxConnections)
            {
                _metrics.Rejected();
                Log.TooManyConnections(_logger, _options.MaxConnections);
                socket.Dispose();
                continue;
            }

            IPAddress? address = (socket.RemoteEndPoint as IPEndPoint)?.Address;
            if (address is not null)
            {
                if (address.IsIPv4MappedToIPv6)
                {
                    address = address.MapToIPv4();
                }

                MqttAdmission admission = _limiter.TryAdmit(address);
                if (admission != MqttAdmission.Admitted)
                {
                    _metrics.Rejected();
                    Log.AddressRefused(_logger, address, admission);
                    socket.Dispose();
                    continue;
                }
            }

            socket.NoDelay = true;
            var connection = new MqttBrokerConnection(this, socket, address, _stopping.Token);
            Register(connection);
            connection.Start();
        }
    }

    private async Task SweepLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        long ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (++ticks % 10 == 0)
                {
                    _authThrottle.Prune();
                    _limiter.Prune();
                    ReloadUsersIfChanged();
                }

                foreach (MqttBrokerConnection connection in _connections.Keys)
                {
                    TimeSpan idle = _time.GetElapsedTime(connection.LastActivityTimestamp);
                    if (!connection.IsConnected)
                    {
                        if (idle > _options.ConnectTimeout)
                        {
                            connection.Abort(null);
                        }
                    }
                    else if (connection.KeepAliveSeconds > 0 && idle.TotalSeconds > connection.KeepAliveSeconds * _options.KeepAliveGrace)
                    {
                        Log.KeepAliveExpired(_logger, connection.ClientId ?? string.Empty, connection.KeepAliveSeconds);
                        connection.Abort(MqttReasonCode.KeepAliveTimeout);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
