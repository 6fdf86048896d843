using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Resilience.Ingest.Mqtt.Framing;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>Connection lifecycle: connect, restore the session, read, keep alive, reconnect.</summary>
public sealed partial class MqttClient
{
    private async Task<(MqttClientConnection Connection, MqttConnAckPacket Ack)> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        CancellationToken token = linked.Token;
        try
        {
            Stream stream = await OpenStreamAsync(token);
            var connection = new MqttClientConnection(stream, _options.ProtocolVersion, _options.MaximumPacketSize);
            try
            {
                MqttPacketEncoder.WriteConnect(connection.Writer, BuildConnectPacket());
                await connection.Writer.FlushAsync(token);
                connection.LastSendTimestamp = _time.GetTimestamp();
                MqttConnAckPacket ack = await ReadConnAckAsync(connection, token);
                bool v5 = _options.ProtocolVersion == MqttProtocolVersion.V500;
                if (ack.ReasonCode != 0)
                {
                    string reason = ack.Properties?.ReasonString is { } text ? $": {text}" : string.Empty;
                    throw new MqttClientException(
                        $"The broker refused the connection ({(v5 ? "reason code" : "return code")} 0x{ack.ReasonCode:X2}{reason}).",
                        ack.ReasonCode);
                }

                return (connection, ack);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No CONNACK from {_options.Host}:{_options.Port} within {_options.ConnectTimeout}.", ex);
        }
    }

    private async Task<Stream> OpenStreamAsync(CancellationToken token)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        try
        {
            await socket.ConnectAsync(_options.Host, _options.Port, token);
            stream = new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (!_options.UseTls)
        {
            return stream;
        }

        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = _options.TlsTargetHost ?? _options.Host,
                    RemoteCertificateValidationCallback = _options.ServerCertificateValidation,
                    ClientCertificates = _options.ClientCertificates,
                },
                token);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }

        return ssl;
    }

    private MqttConnectPacket BuildConnectPacket()
    {
        bool v5 = _options.ProtocolVersion == MqttProtocolVersion.V500;
        var packet = new MqttConnectPacket
        {
            ProtocolVersion = _options.ProtocolVersion,
            CleanStart = _options.CleanStart,
            KeepAliveSeconds = (ushort)_options.KeepAliveSeconds,
            ClientId = _options.ClientId,
            Will = _options.Will,
            UserName = _options.Username,
            Password = _options.Password is null ? null : Encoding.UTF8.GetBytes(_options.Password),
        };
        if (v5)
        {
            packet.Properties = new MqttProperties
            {
                SessionExpiryInterval = _options.SessionExpirySeconds == 0 ? null : _options.SessionExpirySeconds,
                ReceiveMaximum = _options.ReceiveMaximum == ushort.MaxValue ? null : (ushort)_options.ReceiveMaximum,
                MaximumPacketSize = (uint)_options.MaximumPacketSize,
            };
        }

        return packet;
    }

    private static async Task<MqttConnAckPacket> ReadConnAckAsync(MqttClientConnection connection, CancellationToken token)
    {
        PipeReader reader = connection.Reader;
        while (true)
        {
            ReadResult result = await reader.ReadAsync(token);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (MqttFrameReader.TryRead(ref buffer, connection.MaximumPacketSize, out MqttFrame frame))
            {
                try
                {
                    if (frame.Type != MqttPacketType.ConnAck)
                    {
                        throw new MqttProtocolException(MqttReasonCode.ProtocolError, $"Expected CONNACK, got {frame.Type}.");
                    }

                    return MqttPacketDecoder.DecodeConnAck(frame.Body.ToArray(), connection.Version);
                }
                finally
                {
                    // Keep whatever follows CONNACK for the read loop.
                    reader.AdvanceTo(buffer.Start);
                }
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new IOException("The broker closed the connection before CONNACK.");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// Installs a connection that has passed CONNACK: restores or rebuilds the session (resubscribe when the
    /// broker has none), starts the reader and keep-alive, resends every unacknowledged exchange in its
    /// original order, and only then lets new publishes through.
    /// </summary>
    private async Task ActivateAsync(MqttClientConnection connection, MqttConnAckPacket ack)
    {
        MqttProperties? p = ack.Properties;
        connection.KeepAlive = TimeSpan.FromSeconds(p?.ServerKeepAlive ?? _options.KeepAliveSeconds);
        if (p?.MaximumPacketSize is uint brokerMax)
        {
            connection.BrokerMaximumPacketSize = (int)Math.Min(brokerMax, int.MaxValue);
        }

        _window.SetLimit(Math.Min(_options.MaxInFlight, p?.ReceiveMaximum ?? ushort.MaxValue));
        long generation = 0;
        int resubscribed = 0;
        bool stopped;
        lock (_gate)
        {
            // Checked under the same lock DisconnectAsync uses to pick the connection to close.
            stopped = _stoppedReason is not null;
            if (!stopped)
            {
                InstallLocked(connection, ack, out generation, out resubscribed);
            }
        }

        if (stopped)
        {
            await connection.DisposeAsync();
            throw new MqttClientException("The MQTT client was stopped while connecting.");
        }

        Interlocked.Increment(ref _connectionCount);
        Log.Connected(_logger, _clientId, _options.Host, _options.Port, _options.ProtocolVersion, ack.SessionPresent);
        connection.ReadLoop = Task.Run(() => ReadLoopAsync(connection), CancellationToken.None);
        connection.KeepAliveLoop = Task.Run(() => KeepAliveLoopAsync(connection), CancellationToken.None);
        if (resubscribed > 0)
        {
            Log.Resubscribing(_logger, _clientId, resubscribed);
        }

        int resent = 0;
        while (true)
        {
            List<MqttOutboundEntry>? batch = null;
            lock (_gate)
            {
                if (_connection != connection || connection.IsAborted)
                {
                    return;
                }

                foreach (MqttOutboundEntry e in _outbound.Values)
                {
                    if (e.Generation != generation)
                    {
                        (batch ??= []).Add(e);
                    }
                }

                if (batch is null)
                {
                    _ready = connection;
                    _connectedSignal.TrySetResult();
                    break;
                }

                batch.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
                foreach (MqttOutboundEntry e in batch)
                {
                    e.Duplicate = e.Generation != 0;
                    e.Generation = generation;
                }
            }

            foreach (MqttOutboundEntry e in batch)
            {
                if (e.Duplicate)
                {
                    resent++;
                }

                if (!await TryWriteEntryAsync(connection, e))
                {
                    return;
                }
            }
        }

        if (resent > 0)
        {
            Log.Resent(_logger, _clientId, resent);
        }
    }

    private void InstallLocked(MqttClientConnection connection, MqttConnAckPacket ack, out long generation, out int resubscribed)
    {
        resubscribed = 0;
        MqttProperties? p = ack.Properties;

        generation = ++_generation;
        _connection = connection;
        _sessionPresent = ack.SessionPresent;
        if (p?.AssignedClientIdentifier is { } assigned)
        {
            _clientId = assigned;
        }

        if (!ack.SessionPresent)
        {
            // No session on the broker: inbound QoS 2 state is void and the subscriptions must be made again.
            _inboundQos2.Clear();
            if (_subscriptions.Count > 0)
            {
                MqttSubscription[] all = [.. _subscriptions.Values];
                resubscribed = all.Length;
                CreateControlEntryLocked(MqttPacketType.Subscribe, all, null, long.MinValue);
            }
        }
    }

    private async Task SuperviseAsync(MqttClientConnection first)
    {
        MqttClientConnection? current = first;
        while (current is not null)
        {
            Exception? error = await current.ReadLoop!;
            await current.KeepAliveLoop!;
            lock (_gate)
            {
                if (_connection == current)
                {
                    _connection = null;
                    _ready = null;
                    if (_connectedSignal.Task.IsCompleted && _stoppedReason is null)
                    {
                        _connectedSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
            }

            await current.DisposeAsync();
            current = null;
            if (Volatile.Read(ref _stopping) != 0)
            {
                break;
            }

            Log.ConnectionLost(_logger, error, _clientId);
            if (!_options.AutoReconnect)
            {
                var reason = new MqttClientException("The connection was lost and AutoReconnect is off.", error ?? new IOException("Connection closed."));
                lock (_gate)
                {
                    _stoppedReason ??= reason;
                    _connectedSignal.TrySetException(reason);
                }

                FailPending(reason);
                break;
            }

            current = await ReconnectAsync();
        }
    }

    private async Task<MqttClientConnection?> ReconnectAsync()
    {
        CancellationToken stopping = _stopCts.Token;
        for (int attempt = 0; ; attempt++)
        {
            TimeSpan delay = _backoff.NextDelay(attempt);
            Log.Reconnecting(_logger, _clientId, attempt + 1, delay);
            try
            {
                await Task.Delay(delay, _time, stopping);
                (MqttClientConnection connection, MqttConnAckPacket ack) = await ConnectOnceAsync(stopping);
                await ActivateAsync(connection, ack);
                return connection;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or MqttClientException or MqttProtocolException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                Log.ReconnectFailed(_logger, ex, _clientId, attempt + 1);
            }
        }
    }

    /// <summary>Reads frames until the connection dies; returns the cause (null for a clean close by the broker).</summary>
    private async Task<Exception?> ReadLoopAsync(MqttClientConnection connection)
    {
        PipeReader reader = connection.Reader;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync(connection.Token);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    while (MqttFrameReader.TryRead(ref buffer, connection.MaximumPacketSize, out MqttFrame frame))
                    {
                        await HandleFrameAsync(connection, frame);
                    }

                    if (result.IsCompleted || result.IsCanceled)
                    {
                        return buffer.IsEmpty ? null : new IOException("The broker closed the connection in the middle of a packet.");
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (Exception ex)
        {
            return ex;
        }
        finally
        {
            connection.Abort();
        }
    }

    private ValueTask HandleFrameAsync(MqttClientConnection connection, MqttFrame frame)
    {
        switch (frame.Type)
        {
            case MqttPacketType.Publish:
                return HandlePublishAsync(connection, frame);
            case MqttPacketType.PubAck:
            case MqttPacketType.PubRec:
            case MqttPacketType.PubComp:
                return HandleAckAsync(connection, frame);
            case MqttPacketType.PubRel:
                return HandlePubRelAsync(connection, frame);
            case MqttPacketType.SubAck:
            case MqttPacketType.UnsubAck:
                HandleSubOrUnsubAck(connection, frame);
                return ValueTask.CompletedTask;
            case MqttPacketType.PingResp:
                if (!frame.Body.IsEmpty)
                {
                    throw new MqttProtocolException(MqttReasonCode.MalformedPacket, "PINGRESP with a body.");
                }

                connection.PingSentTimestamp = MqttClientConnection.NoPing;
                return ValueTask.CompletedTask;
            case MqttPacketType.Disconnect:
                MqttDisconnectPacket disconnect = MqttPacketDecoder.DecodeDisconnect(frame.Body.ToArray(), connection.Version);
                Log.BrokerDisconnected(_logger, _clientId, disconnect.ReasonCode, disconnect.Properties?.ReasonString);
                throw new MqttClientException($"The broker sent DISCONNECT (reason {disconnect.ReasonCode}).", (byte)disconnect.ReasonCode);
            default:
                throw new MqttProtocolException(MqttReasonCode.ProtocolError, $"A broker must not send {frame.Type} to a client.");
        }
    }

    private async ValueTask HandlePublishAsync(MqttClientConnection connection, MqttFrame frame)
    {
        byte[]? rented = null;
        try
        {
            ReadOnlyMemory<byte> body = Contiguous(frame.Body, ref rented);
            MqttPublishPacket publish = MqttPacketDecoder.DecodePublish(body, frame.Flags, connection.Version);
            if (publish.Topic.IsEmpty)
            {
                throw new MqttProtocolException(MqttReasonCode.TopicAliasInvalid, "Topic alias used although this client allows none.");
            }

            switch (publish.Qos)
            {
                case MqttQualityOfService.AtMostOnce:
                    await DeliverAsync(connection, publish);
                    break;
                case MqttQualityOfService.AtLeastOnce:
                    // Acknowledge only after the consumer has it: a crash in between means redelivery, not loss.
                    await DeliverAsync(connection, publish);
                    await SendAckAsync(connection, MqttPacketType.PubAck, publish.PacketId);
                    break;
                default:
                    bool seen;
                    lock (_gate)
                    {
                        seen = _inboundQos2.Contains(publish.PacketId);
                    }

                    // Exactly once: an id already delivered and not yet released (PUBREL) is a resend.
                    if (!seen)
                    {
                        await DeliverAsync(connection, publish);
                        lock (_gate)
                        {
                            _inboundQos2.Add(publish.PacketId);
                        }
                    }

                    await SendAckAsync(connection, MqttPacketType.PubRec, publish.PacketId);
                    break;
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

    private async ValueTask DeliverAsync(MqttClientConnection connection, MqttPublishPacket publish)
    {
        CancellationToken stopping = _stopCts.Token;
        if (_handler is not null)
        {
            ValueTask handled;
            try
            {
                handled = _handler.HandleAsync(new MqttInboundMessage(publish.Topic, publish.Payload, publish.Qos, publish.Retain), stopping);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.HandlerFailed(_logger, ex, _clientId);
                throw;
            }

            if (!handled.IsCompletedSuccessfully)
            {
                connection.DeliveryBlocked = true;
                try
                {
                    await handled;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Not acknowledged: the connection closes and the broker redelivers (persistent session).
                    Log.HandlerFailed(_logger, ex, _clientId);
                    throw;
                }
                finally
                {
                    connection.DeliveryBlocked = false;
                }
            }
        }

        if (_messages is not null)
        {
            var message = new MqttReceivedMessage(Encoding.UTF8.GetString(publish.Topic.Span), publish.Payload.ToArray(), publish.Qos, publish.Retain, publish.Dup);
            if (!_messages.Writer.TryWrite(message))
            {
                // Full: stop reading the socket until the consumer catches up.
                connection.DeliveryBlocked = true;
                try
                {
                    await _messages.Writer.WriteAsync(message, stopping);
                }
                finally
                {
                    connection.DeliveryBlocked = false;
                }
            }
        }

        Interlocked.Increment(ref _received);
    }

    private async ValueTask HandleAckAsync(MqttClientConnection connection, MqttFrame frame)
    {
        MqttAckPacket ack = DecodeAck(frame, connection.Version);
        MqttOutboundEntry? entry;
        bool sendPubRel = false;
        lock (_gate)
        {
            _outbound.TryGetValue(ack.PacketId, out entry);
            if (entry is not null && entry.Kind == MqttPacketType.Publish && frame.Type == MqttPacketType.PubRec
                && entry.Qos == MqttQualityOfService.ExactlyOnce && (byte)ack.ReasonCode < 0x80)
            {
                entry.Released = true;
                sendPubRel = true;
            }
        }

        if (entry is null || entry.Kind != MqttPacketType.Publish)
        {
            Log.UnknownAcknowledgement(_logger, _clientId, frame.Type, ack.PacketId);
            if (frame.Type == MqttPacketType.PubRec)
            {
                // Let the broker finish its side of an exchange we no longer know.
                await SendAckAsync(connection, MqttPacketType.PubRel, ack.PacketId);
            }

            return;
        }

        if (sendPubRel)
        {
            await SendAckAsync(connection, MqttPacketType.PubRel, ack.PacketId);
            return;
        }

        bool expected = frame.Type switch
        {
            MqttPacketType.PubAck => entry.Qos == MqttQualityOfService.AtLeastOnce,
            MqttPacketType.PubRec => entry.Qos == MqttQualityOfService.ExactlyOnce,
            _ => entry.Qos == MqttQualityOfService.ExactlyOnce,
        };
        if (!expected)
        {
            throw new MqttProtocolException(MqttReasonCode.ProtocolError, $"{frame.Type} for a QoS {(int)entry.Qos} publish.");
        }

        Complete(entry, (byte)ack.ReasonCode >= 0x80
            ? new MqttClientException($"The broker refused the publish ({frame.Type} reason 0x{(byte)ack.ReasonCode:X2}).", (byte)ack.ReasonCode)
            : null, []);
    }

    private async ValueTask HandlePubRelAsync(MqttClientConnection connection, MqttFrame frame)
    {
        MqttAckPacket rel = DecodeAck(frame, connection.Version);
        lock (_gate)
        {
            _inboundQos2.Remove(rel.PacketId);
        }

        await SendAckAsync(connection, MqttPacketType.PubComp, rel.PacketId);
    }

    private void HandleSubOrUnsubAck(MqttClientConnection connection, MqttFrame frame)
    {
        byte[] body = frame.Body.ToArray();
        ushort id;
        IList<byte> codes;
        if (frame.Type == MqttPacketType.SubAck)
        {
            MqttSubAckPacket subAck = MqttPacketDecoder.DecodeSubAck(body, connection.Version);
            id = subAck.PacketId;
            codes = subAck.ReasonCodes;
        }
        else
        {
            MqttUnsubAckPacket unsubAck = MqttPacketDecoder.DecodeUnsubAck(body, connection.Version);
            id = unsubAck.PacketId;
            codes = unsubAck.ReasonCodes;
        }

        MqttOutboundEntry? entry;
        MqttPacketType expected = frame.Type == MqttPacketType.SubAck ? MqttPacketType.Subscribe : MqttPacketType.Unsubscribe;
        lock (_gate)
        {
            if (!_outbound.TryGetValue(id, out entry) || entry.Kind != expected)
            {
                entry = null;
            }
            else if (entry.Subscriptions is { } subscriptions)
            {
                for (int i = 0; i < subscriptions.Count && i < codes.Count; i++)
                {
                    if (codes[i] < 0x80)
                    {
                        _subscriptions[subscriptions[i].Filter] = subscriptions[i];
                    }
                }
            }
        }

        if (entry is null)
        {
            Log.UnknownAcknowledgement(_logger, _clientId, frame.Type, id);
            return;
        }

        if (entry.Subscriptions is { } subs)
        {
            for (int i = 0; i < subs.Count && i < codes.Count; i++)
            {
                if (codes[i] >= 0x80)
                {
                    Log.SubscriptionRefused(_logger, _clientId, subs[i].Filter, codes[i]);
                }
            }
        }

        Complete(entry, null, [.. codes]);
    }

    private void Complete(MqttOutboundEntry entry, Exception? error, IReadOnlyList<byte> result)
    {
        lock (_gate)
        {
            if (!_outbound.Remove(entry.PacketId))
            {
                return;
            }

            _ids.Release(entry.PacketId);
        }

        ArrayPool<byte>.Shared.Return(entry.Buffer);
        if (entry.Kind == MqttPacketType.Publish)
        {
            _window.Release();
        }

        if (error is null)
        {
            entry.Completion.TrySetResult(result);
        }
        else
        {
            entry.Completion.TrySetException(error);
        }
    }

    private async Task KeepAliveLoopAsync(MqttClientConnection connection)
    {
        TimeSpan keepAlive = connection.KeepAlive;
        if (keepAlive <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (!connection.IsAborted)
            {
                TimeSpan wait;
                long pingSent = connection.PingSentTimestamp;
                if (pingSent != MqttClientConnection.NoPing)
                {
                    TimeSpan waited = _time.GetElapsedTime(pingSent);
                    if (waited < keepAlive)
                    {
                        wait = keepAlive - waited;
                    }
                    else if (connection.DeliveryBlocked)
                    {
                        // We are the slow side and the PINGRESP sits unread: ping again so the broker keeps us.
                        await SendPingAsync(connection);
                        wait = keepAlive;
                    }
                    else
                    {
                        Log.PingTimeout(_logger, _clientId, keepAlive);
                        connection.Abort();
                        return;
                    }
                }
                else
                {
                    TimeSpan idle = _time.GetElapsedTime(connection.LastSendTimestamp);
                    if (idle >= keepAlive)
                    {
                        await SendPingAsync(connection);
                        wait = keepAlive;
                    }
                    else
                    {
                        wait = keepAlive - idle;
                    }
                }

                await Task.Delay(wait, _time, connection.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or MqttClientException)
        {
            // The connection is gone; the supervisor takes over.
        }
    }

    private async ValueTask SendPingAsync(MqttClientConnection connection)
    {
        await connection.EnterWriteAsync(connection.Token);
        try
        {
            MqttPacketEncoder.WritePingReq(connection.Writer);
            connection.PingSentTimestamp = _time.GetTimestamp();
            await FlushLockedAsync(connection);
        }
        finally
        {
            connection.WriteLock.Release();
        }
    }

    private async ValueTask SendAckAsync(MqttClientConnection connection, MqttPacketType type, ushort packetId)
    {
        await connection.EnterWriteAsync(connection.Token);
        try
        {
            MqttPacketEncoder.WriteAck(connection.Writer, new MqttAckPacket(type, packetId), connection.Version);
            await FlushLockedAsync(connection);
        }
        finally
        {
            connection.WriteLock.Release();
        }
    }

    /// <summary>Writes an exchange's packet (PUBLISH, with DUP on a resend; PUBREL past PUBREC; SUBSCRIBE; UNSUBSCRIBE); false when the connection died.</summary>
    private async ValueTask<bool> TryWriteEntryAsync(MqttClientConnection connection, MqttOutboundEntry entry)
    {
        try
        {
            await connection.EnterWriteAsync(connection.Token);
            try
            {
                if (entry.Kind == MqttPacketType.Publish && entry.Released)
                {
                    MqttPacketEncoder.WriteAck(connection.Writer, new MqttAckPacket(MqttPacketType.PubRel, entry.PacketId), connection.Version);
                }
                else
                {
                    Span<byte> span = connection.Writer.GetSpan(entry.Length);
                    entry.Buffer.AsSpan(0, entry.Length).CopyTo(span);
                    if (entry.Duplicate && entry.Kind == MqttPacketType.Publish)
                    {
                        span[0] |= 0x08;
                    }

                    connection.Writer.Advance(entry.Length);
                }

                await FlushLockedAsync(connection);
            }
            finally
            {
                connection.WriteLock.Release();
            }

            return true;
        }
        catch (Exception ex) when (ex is MqttClientException or OperationCanceledException)
        {
            return false; // stays pending; the next connection resends it
        }
    }

    /// <summary>Flushes the pipe (caller holds the write lock); any transport failure aborts the connection.</summary>
    private async ValueTask FlushLockedAsync(MqttClientConnection connection)
    {
        try
        {
            FlushResult result = await connection.Writer.FlushAsync(connection.Token);
            if (result.IsCanceled || result.IsCompleted)
            {
                throw new IOException("The connection is closed.");
            }

            connection.LastSendTimestamp = _time.GetTimestamp();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            connection.Abort();
            throw new MqttClientException("The connection was lost while sending.", ex);
        }
    }

    private static MqttAckPacket DecodeAck(in MqttFrame frame, MqttProtocolVersion version)
    {
        ReadOnlySequence<byte> body = frame.Body;
        if (body.IsSingleSegment)
        {
            return MqttPacketDecoder.DecodeAck(frame.Type, body.FirstSpan, version);
        }

        if (body.Length <= 256)
        {
            Span<byte> copy = stackalloc byte[(int)body.Length];
            body.CopyTo(copy);
            return MqttPacketDecoder.DecodeAck(frame.Type, copy, version);
        }

        return MqttPacketDecoder.DecodeAck(frame.Type, body.ToArray(), version);
    }

    private static ReadOnlyMemory<byte> Contiguous(in ReadOnlySequence<byte> body, ref byte[]? rented)
    {
        if (body.IsSingleSegment)
        {
            return body.First;
        }

        int length = (int)body.Length;
        rented = ArrayPool<byte>.Shared.Rent(length);
        body.CopyTo(rented);
        return rented.AsMemory(0, length);
    }
}
