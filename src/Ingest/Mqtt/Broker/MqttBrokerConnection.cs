using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Resilience.Ingest.Mqtt.Framing;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// One client connection: an asynchronous read loop over a <see cref="PipeReader"/> (frames are decoded in place
/// and handled in order; in-process handlers are awaited before the next frame) and a send loop draining the
/// session's bounded queue into the <see cref="PipeWriter"/> within the in-flight window. Writes from both
/// loops go through one async write lock. Any protocol violation closes only this connection.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphores never create a wait handle; acks may still Release them after close, so they are not disposed.")]
internal sealed partial class MqttBrokerConnection
{
    private readonly MqttBroker _broker;
    private readonly Socket _socket;
    private readonly MqttBrokerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationTokenSource _sendCts;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _ackSignal = new(0);
    private readonly List<MqttMatch> _matches = [];
    private readonly MqttAcknowledgement _acknowledgement = new();
    private Channel<DeferredAck>? _ackQueue;
    private Task? _ackPump;
    private int _deferredAcks;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _endPoint;
    private Stream? _stream;
    private PipeReader? _reader;
    private PipeWriter? _writer;
    private long _lastActivity;
    private bool _needsFlush;
    private Task? _sendLoop;
    private byte[]?[]? _aliases;
    private MqttWillMessage? _will;
    private int _clientReceiveMaximum = ushort.MaxValue;
    private long _clientMaximumPacketSize = long.MaxValue;
    private int _aborting;
    private int _cutOff;
    private volatile bool _connected;
    private MqttPermissions? _permissions;
    private string? _certificateIdentity;

    public MqttBrokerConnection(MqttBroker broker, Socket socket, IPAddress? remoteAddress, CancellationToken brokerStopping)
    {
        _broker = broker;
        _socket = socket;
        RemoteAddress = remoteAddress;
        _options = broker.Options;
        _logger = broker.Logger;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(brokerStopping);
        _sendCts = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        _endPoint = socket.RemoteEndPoint?.ToString() ?? "?";
        _lastActivity = broker.Time.GetTimestamp();
    }

    public string? ClientId { get; private set; }

    /// <summary>The peer's address (IPv4-mapped addresses unmapped), counted against the per-address limits.</summary>
    public IPAddress? RemoteAddress { get; }

    public string? UserName { get; private set; }

    public MqttProtocolVersion Version { get; private set; } = MqttProtocolVersion.V311;

    public bool IsConnected => _connected;

    public int KeepAliveSeconds { get; private set; }

    public long LastActivityTimestamp => Volatile.Read(ref _lastActivity);

    public MqttSession? Session { get; private set; }

    /// <summary>Completes when the connection is fully closed.</summary>
    public Task Completion => _completion.Task;

    private bool V5 => Version == MqttProtocolVersion.V500;

    public void Start() => _ = RunAsync();

    /// <summary>Marks the connection as cut off for reading too slowly; true only the first time.</summary>
    public bool CutOff() => Interlocked.Exchange(ref _cutOff, 1) == 0;

    /// <summary>Closes the connection from outside (takeover, keep-alive, shutdown), first sending a v5 DISCONNECT when a reason is given.</summary>
    public void Abort(MqttReasonCode? reason)
    {
        if (Interlocked.Exchange(ref _aborting, 1) != 0)
        {
            return;
        }

        _ = AbortCoreAsync(reason);
    }

    private async Task AbortCoreAsync(MqttReasonCode? reason)
    {
        try
        {
            Task sending = StopSending();
            if (reason.HasValue && _connected && V5)
            {
                await sending.WaitAsync(TimeSpan.FromSeconds(1));
                await TrySendDisconnectAsync(reason.Value);
            }
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            try
            {
                await _cts.CancelAsync();
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Stops the send loop (for takeover) and returns it, so the next reader of the session queue starts after it.</summary>
    private Task StopSending()
    {
        try
        {
            _sendCts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }

        return _sendLoop ?? Task.CompletedTask;
    }

    /// <summary>A client certificate must chain to the configured CAs; none is fine unless it is required.</summary>
    private bool ValidateClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return _options.TlsClientCertificates != MqttClientCertificateMode.Required;
        }

        X509Certificate2Collection? authorities = _broker.ClientCertificateAuthorities;
        if (authorities is null || authorities.Count == 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (X509ChainElement element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }

    private async Task RunAsync()
    {
        CancellationToken ct = _cts.Token;
        try
        {
            Stream stream = new NetworkStream(_socket, ownsSocket: true);
            if (_broker.Certificate is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                MqttClientCertificateMode mode = _options.TlsClientCertificates;
                await ssl.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = _broker.Certificate,
                        ClientCertificateRequired = mode != MqttClientCertificateMode.None,
                        RemoteCertificateValidationCallback = mode == MqttClientCertificateMode.None ? null : ValidateClientCertificate,
                    },
                    ct);
                if (mode != MqttClientCertificateMode.None && _options.UseCertificateIdentity && ssl.RemoteCertificate is X509Certificate remote)
                {
                    using var certificate = new X509Certificate2(remote);
                    string cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
                    _certificateIdentity = cn.Length > 0 ? cn : null;
                }
            }

            _stream = stream;
            _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 8192, minimumReadSize: 2048));
            _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096));
            await ReadLoopAsync(ct);
        }
        catch (MqttProtocolException ex)
        {
            _broker.Metrics.Rejected();
            Log.ProtocolViolation(_logger, _endPoint, ClientId ?? string.Empty, ex.ReasonCode, ex.Message);
            if (_connected && V5)
            {
                await TrySendDisconnectAsync(ex.ReasonCode);
            }
        }
        catch (MqttDeliveryFailedException ex)
        {
            Log.DeliveryFailed(_logger, _endPoint, ClientId ?? string.Empty, ex.Message);
            if (_connected && V5)
            {
                await TrySendDisconnectAsync(MqttReasonCode.ImplementationSpecificError);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or AuthenticationException or InvalidOperationException)
        {
            Log.ConnectionError(_logger, _endPoint, ClientId ?? string.Empty, ex.Message);
        }
        catch (Exception ex)
        {
            // A bug must cost one connection, never the broker.
            Log.ConnectionFailed(_logger, _endPoint, ClientId ?? string.Empty, ex);
        }
        finally
        {
            await CloseAsync();
        }
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        PipeReader reader = _reader!;
        while (true)
        {
            ReadResult result = await reader.ReadAsync(ct);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool keepGoing = true;
            try
            {
                while (keepGoing && MqttFrameReader.TryRead(ref buffer, _options.MaxPacketSize, out MqttFrame frame))
                {
                    Volatile.Write(ref _lastActivity, _broker.Time.GetTimestamp());
                    keepGoing = await HandleFrameAsync(frame, ct);
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }

            await FlushIfNeededAsync(ct);
            if (!keepGoing || result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }

    private async ValueTask<bool> HandleFrameAsync(MqttFrame frame, CancellationToken ct)
    {
        byte[]? rented = null;
        try
        {
            ReadOnlyMemory<byte> body;
            if (frame.Body.IsSingleSegment)
            {
                body = frame.Body.First;
            }
            else
            {
                int length = (int)frame.Body.Length;
                rented = ArrayPool<byte>.Shared.Rent(length);
                frame.Body.CopyTo(rented);
                body = rented.AsMemory(0, length);
            }

            if (!_connected)
            {
                if (frame.Type != MqttPacketType.Connect)
                {
                    MqttProtocolException.ThrowProtocolError($"First packet is {frame.Type}, not CONNECT.");
                }

                return await HandleConnectAsync(body, ct);
            }

            switch (frame.Type)
            {
                case MqttPacketType.Publish:
                    await HandlePublishAsync(body, frame.Flags, ct);
                    return true;
                case MqttPacketType.PubAck:
                    {
                        MqttAckPacket ack = MqttPacketDecoder.DecodeAck(frame.Type, body.Span, Version);
                        if (CheckAckFlow(ack, Session!.Complete(ack.PacketId, MqttInflightState.AwaitingPubAck)))
                        {
                            _ackSignal.Release();
                        }

                        return true;
                    }

                case MqttPacketType.PubRec:
                    {
                        MqttAckPacket ack = MqttPacketDecoder.DecodeAck(frame.Type, body.Span, Version);
                        bool failed = (byte)ack.ReasonCode >= 0x80;
                        bool known = CheckAckFlow(ack, Session!.Released(ack.PacketId, failed));
                        if (failed)
                        {
                            if (known)
                            {
                                _ackSignal.Release();
                            }
                        }
                        else
                        {
                            // [MQTT-4.3.3-4]: PUBREC < 0x80 is answered with PUBREL; for an id not in flight, 5.0 §3.6.2.1 says 0x92.
                            await WriteAckAsync(MqttPacketType.PubRel, ack.PacketId, known || !V5 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound, ct);
                        }

                        return true;
                    }

                case MqttPacketType.PubRel:
                    {
                        MqttAckPacket ack = MqttPacketDecoder.DecodeAck(frame.Type, body.Span, Version);
                        bool known = Session!.RemoveIncomingQos2(ack.PacketId);

                        // [MQTT-4.3.3-11] (3.1.1 [MQTT-4.3.3-2]): every PUBREL gets a PUBCOMP; v5 says 0x92 for an unknown id (§3.7.2.1).
                        await WriteAckAsync(MqttPacketType.PubComp, ack.PacketId, known || !V5 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound, ct);
                        return true;
                    }

                case MqttPacketType.PubComp:
                    {
                        MqttAckPacket ack = MqttPacketDecoder.DecodeAck(frame.Type, body.Span, Version);
                        if (CheckAckFlow(ack, Session!.Complete(ack.PacketId, MqttInflightState.AwaitingPubComp)))
                        {
                            _ackSignal.Release();
                        }

                        return true;
                    }

                case MqttPacketType.Subscribe:
                    await HandleSubscribeAsync(MqttPacketDecoder.DecodeSubscribe(body.Span, Version), ct);
                    return true;
                case MqttPacketType.Unsubscribe:
                    await HandleUnsubscribeAsync(MqttPacketDecoder.DecodeUnsubscribe(body.Span, Version), ct);
                    return true;
                case MqttPacketType.PingReq:
                    MqttPacketDecoder.DecodeEmpty(frame.Type, body.Span);
                    await WriteAsync(static (w, _) => MqttPacketEncoder.WritePingResp(w), this, ct);
                    return true;
                case MqttPacketType.Disconnect:
                    HandleDisconnect(MqttPacketDecoder.DecodeDisconnect(body.Span, Version));
                    return false;
                case MqttPacketType.Auth:
                    MqttPacketDecoder.DecodeAuth(body.Span, Version);
                    MqttProtocolException.ThrowProtocolError("AUTH without an authentication method in CONNECT.");
                    return false;
                case MqttPacketType.Connect:
                    MqttProtocolException.ThrowProtocolError("Second CONNECT on a connection.");
                    return false;
                default:
                    MqttProtocolException.ThrowProtocolError($"{frame.Type} is not sent by clients.");
                    return false;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private async ValueTask<bool> HandleConnectAsync(ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        MqttConnectPacket connect;
        try
        {
            connect = MqttPacketDecoder.DecodeConnect(body.Span);
        }
        catch (MqttProtocolException ex) when (ex.ReasonCode == MqttReasonCode.UnsupportedProtocolVersion)
        {
            // 3.1.1 §3.1.2.2: answer CONNACK 0x01 in the 3.1.1 form, then close.
            await WriteConnAckFailureAsync(MqttReasonCode.UnsupportedProtocolVersion, ct);
            throw;
        }

        Version = connect.ProtocolVersion;
        MqttReasonCode auth = _broker.Authenticate(RemoteAddress, connect.UserName, connect.Password, _certificateIdentity, out string? identity, out bool verified);
        if (auth == MqttReasonCode.Success && connect.ClientId.Length > 0 && _broker.IsReservedClientId(connect.ClientId, identity))
        {
            // A device's own id is its client id for nobody else: no squatting on its session.
            auth = MqttReasonCode.NotAuthorized;
        }

        if (auth != MqttReasonCode.Success)
        {
            _broker.Metrics.Rejected();
            Log.AuthenticationFailed(_logger, _endPoint, connect.ClientId, connect.UserName ?? string.Empty, auth);
            await WriteConnAckFailureAsync(auth, ct);
            return false;
        }

        MqttProperties? properties = connect.Properties;
        if (properties?.AuthenticationMethod is not null)
        {
            _broker.Metrics.Rejected();
            await WriteConnAckFailureAsync(MqttReasonCode.BadAuthenticationMethod, ct);
            return false;
        }

        _permissions = _broker.CreatePermissions(identity, verified, connect.ClientId);
        if (connect.Will is not null && !_permissions.CanPublish(System.Text.Encoding.UTF8.GetBytes(connect.Will.Topic)))
        {
            // A will is a publish on the client's behalf: it may not go where the client may not publish (as mosquitto).
            _broker.Metrics.Rejected();
            Log.AuthenticationFailed(_logger, _endPoint, connect.ClientId, connect.UserName ?? string.Empty, MqttReasonCode.NotAuthorized);
            await WriteConnAckFailureAsync(MqttReasonCode.NotAuthorized, ct);
            return false;
        }

        string clientId = connect.ClientId;
        bool assigned = false;
        if (clientId.Length == 0)
        {
            // 3.1.1 [MQTT-3.1.3-8]: an empty id with Clean Session 0 is refused with return code 0x02. MQTT 3.1
            // (§3.1, "MQIsdp" level 3) requires 1 to 23 characters, so an empty id is refused there too (as mosquitto).
            if ((!V5 && !connect.CleanStart) || Version == MqttProtocolVersion.V310)
            {
                _broker.Metrics.Rejected();
                await WriteConnAckFailureAsync(MqttReasonCode.ClientIdentifierNotValid, ct);
                return false;
            }

            clientId = "auto-" + Guid.NewGuid().ToString("N");
            assigned = true;
        }

        ushort? serverKeepAlive = null;
        int keepAlive = connect.KeepAliveSeconds;
        int maxKeepAlive = _options.MaxKeepAliveSeconds;
        if (maxKeepAlive > 0 && (keepAlive == 0 || keepAlive > maxKeepAlive))
        {
            if (!V5)
            {
                // 3.1/3.1.1 cannot be told another keep-alive: refused as mosquitto does with max_keepalive (return code 2).
                _broker.Metrics.Rejected();
                Log.KeepAliveRefused(_logger, _endPoint, clientId, keepAlive, maxKeepAlive);
                await WriteConnAckFailureAsync(MqttReasonCode.ClientIdentifierNotValid, ct);
                return false;
            }

            // [MQTT-3.2.2-21]/[MQTT-3.2.2-22]: the client MUST use the Server Keep Alive instead of its own.
            keepAlive = maxKeepAlive;
            serverKeepAlive = (ushort)maxKeepAlive;
        }

        ClientId = clientId;
        UserName = identity;
        KeepAliveSeconds = keepAlive;
        uint expiry;
        if (V5)
        {
            _clientReceiveMaximum = properties?.ReceiveMaximum ?? ushort.MaxValue;
            _clientMaximumPacketSize = properties?.MaximumPacketSize ?? long.MaxValue;
            expiry = properties?.SessionExpiryInterval ?? 0;
            if (_options.MaxTopicAliases > 0)
            {
                _aliases = new byte[]?[_options.MaxTopicAliases + 1];
            }
        }
        else
        {
            expiry = connect.CleanStart ? 0 : uint.MaxValue;
        }

        uint? grantedExpiry = null;
        if (expiry > _options.MaxSessionExpiry)
        {
            // Persistent sessions (3.1.1's too) end some time after the client left.
            expiry = (uint)_options.MaxSessionExpiry;
            grantedExpiry = expiry;
        }

        _will = connect.Will;
        (MqttSession? attached, bool present, MqttBrokerConnection? previous) = _broker.AttachSession(this, clientId, identity, connect.CleanStart, expiry);
        if (attached is null)
        {
            _broker.Metrics.Rejected();
            Log.SessionOwnedByOther(_logger, _endPoint, clientId, identity ?? string.Empty);
            _will = null;
            await WriteConnAckFailureAsync(MqttReasonCode.NotAuthorized, ct);
            return false;
        }

        MqttSession session = attached;
        Session = session;
        Task previousSending = Task.CompletedTask;
        if (previous is not null)
        {
            previousSending = previous.StopSending();
            previous.Abort(MqttReasonCode.SessionTakenOver);
        }

        _connected = true;

        // 3.1.1 [MQTT-3.2.2-1]/[MQTT-3.2.2-2], 5.0 [MQTT-3.2.2-2]/[MQTT-3.2.2-3]. MQTT 3.1 has no Session
        // Present flag (the byte is reserved), so it is 0 there even when the session is resumed (as mosquitto).
        var connAck = new MqttConnAckPacket { SessionPresent = present && Version != MqttProtocolVersion.V310 };
        if (V5)
        {
            connAck.Properties = new MqttProperties
            {
                ReceiveMaximum = (ushort)_options.MaxInflight,
                MaximumPacketSize = _options.AdvertiseMaximumPacketSize ? (uint)_options.MaxPacketSize : null,
                TopicAliasMaximum = (ushort)_options.MaxTopicAliases,
                AssignedClientIdentifier = assigned ? clientId : null,
                ServerKeepAlive = serverKeepAlive,
                SessionExpiryInterval = grantedExpiry,
            };
            if (!FitsClientLimit(connAck))
            {
                // [MQTT-3.1.2-24]: never send a packet above the client's Maximum Packet Size, and a CONNACK cannot
                // be discarded and the session carried on: close without it (as mosquitto).
                Log.ConnAckTooLarge(_logger, _endPoint, clientId, _clientMaximumPacketSize);
                return false;
            }
        }

        await WriteAsync(static (w, s) => MqttPacketEncoder.WriteConnAck(w, s.Ack, s.Version), (Ack: connAck, Version), ct);
        await FlushIfNeededAsync(ct);
        Log.ClientConnected(_logger, _endPoint, clientId, Version, present);
        _sendLoop = SendLoopAsync(previousSending, _sendCts.Token);
        return true;
    }

    private async ValueTask HandlePublishAsync(ReadOnlyMemory<byte> body, byte flags, CancellationToken ct)
    {
        MqttPublishPacket publish = MqttPacketDecoder.DecodePublish(body, flags, Version);
        if (!publish.Properties.IsEmpty && HasSubscriptionIdentifier(publish.Properties.Span))
        {
            MqttProtocolException.ThrowProtocolError("A client's PUBLISH carries a subscription identifier.");
        }

        ReadOnlyMemory<byte> topic = publish.Topic;
        if (publish.TopicAlias != 0)
        {
            if (_aliases is null || publish.TopicAlias >= _aliases.Length)
            {
                MqttProtocolException.Throw(MqttReasonCode.TopicAliasInvalid, $"Topic alias {publish.TopicAlias} is above the maximum.");
            }

            if (topic.Length > 0)
            {
                byte[]? existing = _aliases[publish.TopicAlias];
                if (existing is null || !existing.AsSpan().SequenceEqual(topic.Span))
                {
                    _aliases[publish.TopicAlias] = topic.ToArray();
                }
            }
            else
            {
                byte[]? mapped = _aliases[publish.TopicAlias];
                if (mapped is null)
                {
                    MqttProtocolException.ThrowProtocolError($"Topic alias {publish.TopicAlias} is not mapped.");
                }

                topic = mapped;
            }
        }

        MqttSession session = Session!;
        if (!_permissions!.CanPublish(topic.Span))
        {
            _broker.Metrics.Rejected();
            Log.PublishDenied(_logger, ClientId!, UserName ?? string.Empty);

            // v5 says why; 3.1.1 has no negative acknowledgement, so the publish is acknowledged and dropped (as mosquitto does).
            MqttReasonCode code = V5 ? MqttReasonCode.NotAuthorized : MqttReasonCode.Success;
            if (publish.Qos == MqttQualityOfService.AtLeastOnce)
            {
                await WriteAckAsync(MqttPacketType.PubAck, publish.PacketId, code, ct);
            }
            else if (publish.Qos == MqttQualityOfService.ExactlyOnce)
            {
                if (!V5)
                {
                    session.AddIncomingQos2(publish.PacketId);
                }

                await WriteAckAsync(MqttPacketType.PubRec, publish.PacketId, code, ct);
            }

            return;
        }

        switch (publish.Qos)
        {
            case MqttQualityOfService.AtMostOnce:
                await _broker.RouteAsync(topic, publish.Payload, publish.Qos, publish.Retain, publish.Properties, ClientId, _matches, ct);
                break;
            case MqttQualityOfService.AtLeastOnce:
                await _broker.RouteAsync(topic, publish.Payload, publish.Qos, publish.Retain, publish.Properties, ClientId, _matches, ct, _acknowledgement);
                await AcknowledgeAsync(MqttPacketType.PubAck, publish.PacketId, _acknowledgement.Take(), ct);
                break;
            default:
                if (session.IncomingQos2Count >= _options.MaxInflight)
                {
                    MqttProtocolException.Throw(MqttReasonCode.ReceiveMaximumExceeded, "More QoS 2 messages in flight than the receive maximum.");
                }

                Task? durable = null;
                if (session.AddIncomingQos2(publish.PacketId))
                {
                    await _broker.RouteAsync(topic, publish.Payload, publish.Qos, publish.Retain, publish.Properties, ClientId, _matches, ct, _acknowledgement);
                    durable = _acknowledgement.Take();
                }

                await AcknowledgeAsync(MqttPacketType.PubRec, publish.PacketId, durable, ct);
                break;
        }
    }

    /// <summary>
    /// Drops the CONNACK properties the spec lets a server leave out (Reason String, User Properties:
    /// [MQTT-3.2.2-19], [MQTT-3.2.2-20]) until it fits the client's Maximum Packet Size; false when it still does not.
    /// </summary>
    private bool FitsClientLimit(MqttConnAckPacket connAck)
    {
        if (ConnAckSize(connAck) <= _clientMaximumPacketSize)
        {
            return true;
        }

        connAck.Properties!.ReasonString = null;
        connAck.Properties.UserProperties = null;
        return ConnAckSize(connAck) <= _clientMaximumPacketSize;
    }

    private long ConnAckSize(MqttConnAckPacket connAck)
    {
        var counter = new ArrayBufferWriter<byte>(64);
        MqttPacketEncoder.WriteConnAck(counter, connAck, Version);
        return counter.WrittenCount;
    }

    /// <summary>
    /// Applies an acknowledgement's outcome: true when it advanced a message. An ack for the wrong step or QoS of a
    /// message in flight (PUBACK for QoS 2, PUBREC for QoS 1, PUBCOMP before PUBREC) is a protocol violation that
    /// closes the connection (5.0 [MQTT-4.13.1-1]/§4.13.2, 3.1.1 [MQTT-4.8.0-1]); an unknown id is a late duplicate
    /// after a resend and is ignored, as mosquitto does.
    /// </summary>
    private static bool CheckAckFlow(in MqttAckPacket ack, MqttAckOutcome outcome)
    {
        if (outcome == MqttAckOutcome.WrongFlow)
        {
            MqttProtocolException.ThrowProtocolError($"{ack.Type} for packet {ack.PacketId}, which is in flight at another QoS or step.");
        }

        return outcome == MqttAckOutcome.Done;
    }

    private static bool HasSubscriptionIdentifier(ReadOnlySpan<byte> properties)
    {
        var reader = new MqttPropertyReader(properties);
        while (reader.MoveNext())
        {
            if (reader.Id == MqttPropertyId.SubscriptionIdentifier)
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask HandleSubscribeAsync(MqttSubscribePacket subscribe, CancellationToken ct)
    {
        MqttSession session = Session!;
        int subscriptionId = subscribe.Properties?.SubscriptionIdentifiers is { Count: > 0 } ids ? ids[0] : 0;
        var codes = new List<byte>(subscribe.Subscriptions.Count);
        List<MqttSubscriber>? retained = null;
        foreach (MqttSubscription s in subscribe.Subscriptions)
        {
            bool shared = MqttTopic.TrySplitShared(s.Filter, out string group, out string inner);
            string filter = shared ? inner : s.Filter;
            if ((shared && group.Length == 0) || !MqttTopic.IsValidFilter(filter))
            {
                codes.Add(V5 ? (byte)MqttReasonCode.TopicFilterInvalid : (byte)0x80);
                continue;
            }

            if (shared && s.NoLocal)
            {
                MqttProtocolException.ThrowProtocolError("No Local on a shared subscription.");
            }

            if (!_permissions!.CanSubscribe(filter))
            {
                _broker.Metrics.Rejected();
                Log.SubscribeDenied(_logger, ClientId!, UserName ?? string.Empty, s.Filter);
                codes.Add(V5 ? (byte)MqttReasonCode.NotAuthorized : (byte)0x80);
                continue;
            }

            if (session.SubscriptionCount >= _options.MaxSubscriptionsPerClient && !session.HasSubscription(s.Filter))
            {
                _broker.Metrics.Rejected();
                codes.Add(V5 ? (byte)MqttReasonCode.QuotaExceeded : (byte)0x80);
                continue;
            }

            var subscriber = new MqttSubscriber(s.Filter, session, null, s.Qos)
            {
                NoLocal = s.NoLocal,
                RetainAsPublished = s.RetainAsPublished,
                SubscriptionId = subscriptionId,
            };
            bool existed = session.SetSubscription(subscriber);
            _broker.Tree.Add(subscriber);
            codes.Add((byte)s.Qos);
            if (!shared && (s.RetainHandling == 0 || (s.RetainHandling == 1 && !existed)))
            {
                (retained ??= []).Add(subscriber);
            }
        }

        var subAck = new MqttSubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = codes };
        await WriteAsync(static (w, s) => MqttPacketEncoder.WriteSubAck(w, s.Ack, s.Version), (Ack: subAck, Version), ct);
        if (retained is not null)
        {
            foreach (MqttSubscriber subscriber in retained)
            {
                _broker.EnqueueRetained(session, subscriber);
            }
        }
    }

    private async ValueTask HandleUnsubscribeAsync(MqttUnsubscribePacket unsubscribe, CancellationToken ct)
    {
        MqttSession session = Session!;
        var codes = new List<byte>(unsubscribe.Filters.Count);
        foreach (string filter in unsubscribe.Filters)
        {
            bool removed = session.RemoveSubscription(filter);
            if (removed)
            {
                _broker.Tree.Remove(filter, session, null);
            }

            codes.Add(removed ? (byte)MqttReasonCode.Success : (byte)MqttReasonCode.NoSubscriptionExisted);
        }

        var unsubAck = new MqttUnsubAckPacket { PacketId = unsubscribe.PacketId, ReasonCodes = codes };
        await WriteAsync(static (w, s) => MqttPacketEncoder.WriteUnsubAck(w, s.Ack, s.Version), (Ack: unsubAck, Version), ct);
    }

    private void HandleDisconnect(MqttDisconnectPacket disconnect)
    {
        if (disconnect.ReasonCode != MqttReasonCode.DisconnectWithWillMessage)
        {
            _will = null;
        }

        uint? expiry = disconnect.Properties?.SessionExpiryInterval;
        if (expiry.HasValue)
        {
            if (Session!.ExpiryInterval == 0 && expiry.Value != 0)
            {
                MqttProtocolException.ThrowProtocolError("DISCONNECT sets a session expiry after CONNECT set 0.");
            }

            Session!.ExpiryInterval = (uint)Math.Min(expiry.Value, _options.MaxSessionExpiry);
        }

        Log.ClientDisconnected(_logger, ClientId ?? string.Empty, disconnect.ReasonCode);
    }

    private async Task SendLoopAsync(Task previousSending, CancellationToken ct)
    {
        try
        {
            try
            {
                await previousSending.WaitAsync(TimeSpan.FromSeconds(5), ct);
            }
            catch (TimeoutException)
            {
            }

            await ResendInflightAsync(ct);
            MqttSession session = Session!;
            ChannelReader<MqttQueuedMessage> queue = session.Queue.Reader;
            int inflightLimit = Math.Min(_clientReceiveMaximum, _options.MaxInflight);
            while (await queue.WaitToReadAsync(ct))
            {
                bool windowFull = false;
                await _writeLock.WaitAsync(ct);
                try
                {
                    int written = 0;
                    while (written < 512 && queue.TryPeek(out MqttQueuedMessage item))
                    {
                        if (item.Qos != MqttQualityOfService.AtMostOnce && session.InflightCount >= inflightLimit)
                        {
                            windowFull = true;
                            break;
                        }

                        session.TryDequeue(out item);
                        if (WritePublish(item))
                        {
                            written++;
                        }
                    }

                    if (written > 0 || _needsFlush)
                    {
                        _needsFlush = false;
                        await _writer!.FlushAsync(ct);
                    }
                }
                finally
                {
                    _writeLock.Release();
                }

                if (windowFull)
                {
                    await _ackSignal.WaitAsync(ct);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Log.ConnectionError(_logger, _endPoint, ClientId ?? string.Empty, ex.Message);
            Abort(null);
        }
    }

    private async Task ResendInflightAsync(CancellationToken ct)
    {
        List<KeyValuePair<ushort, MqttInflightMessage>> inflight = Session!.SnapshotInflight();
        if (inflight.Count == 0)
        {
            return;
        }

        await _writeLock.WaitAsync(ct);
        try
        {
            foreach (KeyValuePair<ushort, MqttInflightMessage> entry in inflight)
            {
                if (entry.Value.State == MqttInflightState.AwaitingPubComp)
                {
                    MqttPacketEncoder.WriteAck(_writer!, new MqttAckPacket(MqttPacketType.PubRel, entry.Key), Version);
                }
                else
                {
                    // Sending started before the reconnect, so expiry no longer applies ([MQTT-4.3.3-7] for QoS 2, QoS 1
                    // likewise); the time left is still forwarded.
                    MqttQueuedMessage q = entry.Value.Queued;
                    uint remaining = 1;
                    if (q.Message.CanExpire)
                    {
                        TryGetRemainingLifetime(q.Message, out remaining);
                    }

                    WritePublishCore(q, entry.Key, dup: true, remaining);
                }
            }

            _needsFlush = false;
            await _writer!.FlushAsync(ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Encodes one queued message (under the write lock); false when it is not sent: its subscription was removed
    /// (UNSUBACK already went out, MQTT 5.0 §3.10.4 [MQTT-3.10.4-2]), it expired before sending started
    /// ([MQTT-3.3.2-5]), or it exceeds the client's Maximum Packet Size ([MQTT-3.1.2-24]/[MQTT-3.1.2-25]:
    /// discarded and treated as delivered).
    /// </summary>
    private bool WritePublish(in MqttQueuedMessage item)
    {
        if (item.Subscriber is { Removed: true })
        {
            return false;
        }

        MqttApplicationMessage m = item.Message;
        uint remaining = 0;
        if (m.CanExpire && !TryGetRemainingLifetime(m, out remaining))
        {
            _broker.Metrics.Dropped();
            return false;
        }

        if (_clientMaximumPacketSize != long.MaxValue
            && MqttPacketEncoder.GetPublishSize(Version, m.Topic.Length, m.Payload.Length, item.Qos, m.Properties?.Length ?? 0, item.SubscriptionId) > _clientMaximumPacketSize)
        {
            _broker.Metrics.Dropped();
            return false;
        }

        ushort packetId = item.Qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : Session!.AddInflight(item);
        WritePublishCore(item, packetId, dup: false, remaining);
        _broker.Metrics.Delivered();
        return true;
    }

    /// <summary>Seconds of the message's lifetime left (at least 1); false once it has expired.</summary>
    private bool TryGetRemainingLifetime(MqttApplicationMessage m, out uint remaining)
    {
        long left = m.ExpiresAt - _broker.Time.GetTimestamp();
        if (left <= 0)
        {
            remaining = 0;
            return false;
        }

        long frequency = _broker.Time.TimestampFrequency;
        remaining = (uint)Math.Min(uint.MaxValue, (left + frequency - 1) / frequency);
        return true;
    }

    /// <summary>
    /// Writes the PUBLISH; a message with a Message Expiry Interval carries the time left instead of the
    /// publisher's value ([MQTT-3.3.2-6]).
    /// </summary>
    private void WritePublishCore(in MqttQueuedMessage item, ushort packetId, bool dup, uint remaining)
    {
        MqttApplicationMessage m = item.Message;
        if (!m.CanExpire || !V5)
        {
            MqttPacketEncoder.WritePublish(_writer!, Version, m.Topic, m.Payload, item.Qos, item.Retain, dup, packetId, m.Properties, item.SubscriptionId);
            return;
        }

        byte[] properties = m.Properties!;
        byte[] rented = ArrayPool<byte>.Shared.Rent(properties.Length);
        try
        {
            Span<byte> patched = rented.AsSpan(0, properties.Length);
            properties.CopyTo(patched);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(patched.Slice(m.ExpiryValueOffset, 4), Math.Max(1u, remaining));
            MqttPacketEncoder.WritePublish(_writer!, Version, m.Topic, m.Payload, item.Qos, item.Retain, dup, packetId, patched, item.SubscriptionId);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Sends a PUBACK/PUBREC now when nothing is deferred ahead of it; otherwise queues it behind the deferred ones,
    /// for <see cref="SendDeferredAcksAsync"/> to send when its message is durable. The queue holds at most the
    /// receive maximum: a full queue stops this connection's reading (backpressure on the publisher).
    /// </summary>
    private async ValueTask AcknowledgeAsync(MqttPacketType type, ushort packetId, Task? durable, CancellationToken ct)
    {
        if (Volatile.Read(ref _deferredAcks) == 0 && (durable is null || durable.IsCompletedSuccessfully))
        {
            await WriteAckAsync(type, packetId, MqttReasonCode.Success, ct);
            return;
        }

        if (_ackQueue is null)
        {
            _ackQueue = Channel.CreateBounded<DeferredAck>(new BoundedChannelOptions(Math.Max(1, _options.MaxInflight)) { SingleReader = true, SingleWriter = true });
            _ackPump = Task.Run(() => SendDeferredAcksAsync(_ackQueue.Reader, _cts.Token), CancellationToken.None);
        }

        Interlocked.Increment(ref _deferredAcks);
        await _ackQueue.Writer.WriteAsync(new DeferredAck(type, packetId, durable ?? Task.CompletedTask), ct);
    }

    /// <summary>Sends deferred acknowledgements in order, each once its message is durable; a failure closes the connection unacknowledged.</summary>
    private async Task SendDeferredAcksAsync(ChannelReader<DeferredAck> queue, CancellationToken ct)
    {
        try
        {
            while (await queue.WaitToReadAsync(ct))
            {
                while (queue.TryRead(out DeferredAck ack))
                {
                    if (!ack.Durable.IsCompleted)
                    {
                        // Send what is ready before waiting for the next one.
                        await FlushIfNeededAsync(ct);
                    }

                    try
                    {
                        await ack.Durable.WaitAsync(ct);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Log.DeliveryFailed(_logger, _endPoint, ClientId ?? string.Empty, ex.Message);
                        await _cts.CancelAsync();
                        return;
                    }

                    await WriteAckAsync(ack.Type, ack.PacketId, MqttReasonCode.Success, ct);
                    Interlocked.Decrement(ref _deferredAcks);
                }

                await FlushIfNeededAsync(ct);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is closing: what was not acknowledged is re-sent by the client.
        }
    }

    private ValueTask WriteAckAsync(MqttPacketType type, ushort packetId, MqttReasonCode reason, CancellationToken ct)
        => WriteAsync(static (w, s) => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(s.Type, s.PacketId, s.Reason), s.Version), (Type: type, PacketId: packetId, Reason: reason, Version), ct);

    private async ValueTask WriteAsync<TState>(Action<IBufferWriter<byte>, TState> write, TState state, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            write(_writer!, state);
            _needsFlush = true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask FlushIfNeededAsync(CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            if (_needsFlush)
            {
                _needsFlush = false;
                await _writer!.FlushAsync(ct);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WriteConnAckFailureAsync(MqttReasonCode reason, CancellationToken ct)
    {
        byte code = V5 ? (byte)reason : (byte)(reason switch
        {
            MqttReasonCode.UnsupportedProtocolVersion => 1,
            MqttReasonCode.ClientIdentifierNotValid => 2,
            MqttReasonCode.ServerUnavailable or MqttReasonCode.ServerBusy => 3,
            MqttReasonCode.BadUserNameOrPassword => 4,
            _ => 5,
        });
        var ack = new MqttConnAckPacket { ReasonCode = code };
        MqttProtocolVersion version = reason == MqttReasonCode.UnsupportedProtocolVersion ? MqttProtocolVersion.V311 : Version;
        await WriteAsync(static (w, s) => MqttPacketEncoder.WriteConnAck(w, s.Ack, s.Version), (Ack: ack, Version: version), ct);
        await FlushIfNeededAsync(ct);
    }

    private async Task TrySendDisconnectAsync(MqttReasonCode reason)
    {
        if (_writer is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            if (!await _writeLock.WaitAsync(TimeSpan.FromSeconds(1)))
            {
                return;
            }

            try
            {
                MqttPacketEncoder.WriteDisconnect(_writer, new MqttDisconnectPacket { ReasonCode = reason }, MqttProtocolVersion.V500);
                _needsFlush = false;
                await _writer.FlushAsync(timeout.Token);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }
    }

    private async Task CloseAsync()
    {
        await _cts.CancelAsync();
        if (_sendLoop is not null)
        {
            try
            {
                await _sendLoop;
            }
            catch (Exception ex)
            {
                // Never let a send-loop bug keep the connection (and the broker's shutdown) from completing.
                Log.ConnectionError(_logger, _endPoint, ClientId ?? string.Empty, ex.Message);
            }
        }

        _ackQueue?.Writer.TryComplete();
        if (_ackPump is not null)
        {
            await _ackPump;
        }

        try
        {
            if (_reader is not null)
            {
                await _reader.CompleteAsync();
            }

            if (_writer is not null)
            {
                await _writer.CompleteAsync();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }

        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }

        _socket.Dispose();
        _broker.OnConnectionClosed(this, _connected ? _will : null);
        _cts.Dispose();
        _sendCts.Dispose();
        _completion.TrySetResult();
    }

    private readonly record struct DeferredAck(MqttPacketType Type, ushort PacketId, Task Durable);
}
