using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// Consumes an external broker with the MQTTnet client: subscribed with <c>$share/{group}/{filter}</c> to every
/// configured filter (again after each reconnect), on a persistent session. Each message is copied into a bounded
/// hand-off of <see cref="ExternalMqttOptions.ReceiveMaximum"/> slots, handed in order to the registered
/// <see cref="IMqttMessageHandler"/>, and acknowledged only when the handler's task completes. So at most that many
/// messages are received and unacknowledged (the broker is told the same number as Receive Maximum), a slow pipeline
/// slows the broker's deliveries instead of filling memory, and whatever was not acknowledged when the silo stops or
/// the connection drops is redelivered by the broker.
/// </summary>
internal sealed partial class ExternalBrokerConsumer : BackgroundService
{
    private readonly ExternalMqttOptions _options;
    private readonly IMqttMessageHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Delivery> _handoff;
    private readonly List<string> _filters = [];
    private long _handled;
    private long _failed;
    private int _unacknowledged;
    private int _peakUnacknowledged;
    private ExternalMqttConnection? _connection;

    public ExternalBrokerConsumer(IOptions<ExternalMqttOptions> options, IMqttMessageHandler handler, TimeProvider timeProvider, ILogger<ExternalBrokerConsumer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _handler = handler;
        _time = timeProvider;
        _logger = logger;
        _handoff = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(_options.ReceiveMaximum)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        foreach (string topic in _options.EffectiveTopics)
        {
            _filters.Add(_options.SharedGroup.Length > 0 ? $"$share/{_options.SharedGroup}/{topic}" : topic);
        }
    }

    /// <summary>Messages handled and acknowledged (or handled at QoS 0).</summary>
    public long Handled => Interlocked.Read(ref _handled);

    /// <summary>Messages whose handler threw: not acknowledged, so the broker redelivers them.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>
    /// The most messages ever taken from MQTTnet and not yet handled at once: at most <see cref="ExternalMqttOptions.ReceiveMaximum"/>
    /// in the hand-off, plus one being handled and one waiting for a slot.
    /// </summary>
    public int PeakUnacknowledged => Volatile.Read(ref _peakUnacknowledged);

    /// <summary>Successful connections so far (tests: a reconnect happened).</summary>
    public long Connects => _connection?.Connects ?? 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var connection = new ExternalMqttConnection(_options, _options.EffectiveClientId, persistentSession: true, SubscribeAsync, _time, _logger);
        connection.Client.ApplicationMessageReceivedAsync += e => OnReceivedAsync(e, stoppingToken);
        Volatile.Write(ref _connection, connection);
        Log.Starting(_logger, _options.Host, _options.Port, _options.SharedGroup, _options.EffectiveClientId);
        Task processing = ProcessAsync(connection, stoppingToken);
        await connection.RunAsync(stoppingToken);
        _handoff.Writer.TryComplete();
        await processing;
        while (_handoff.Reader.TryRead(out Delivery left))
        {
            // Not acknowledged: the broker redelivers it to this session (or another silo of the group) later.
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }

        Log.Stopped(_logger, Handled, Failed);
    }

    private async Task SubscribeAsync(IMqttClient client, bool sessionPresent, CancellationToken cancellationToken)
    {
        // Subscribe after every connect, even when the session is present: a broker that lost its state (a
        // restart without persistence) reports no session, and one that kept it just replaces the subscription.
        MqttClientSubscribeOptionsBuilder builder = new MqttClientFactory().CreateSubscribeOptionsBuilder();
        foreach (string filter in _filters)
        {
            builder = builder.WithTopicFilter(filter, (MqttQualityOfServiceLevel)_options.Qos);
        }

        MqttClientSubscribeResult result = await client.SubscribeAsync(builder.Build(), cancellationToken);
        foreach (MqttClientSubscribeResultItem item in result.Items)
        {
            if ((int)item.ResultCode > (int)MqttClientSubscribeResultCode.GrantedQoS2)
            {
                throw new InvalidOperationException(
                    $"The broker refused the subscription '{item.TopicFilter.Topic}': {item.ResultCode} (is '{_options.Username}' allowed into the shared group '{_options.SharedGroup}'?)");
            }
        }

        Log.Subscribed(_logger, _filters.Count, _options.SharedGroup, sessionPresent);
    }

    private async Task OnReceivedAsync(MqttApplicationMessageReceivedEventArgs e, CancellationToken stoppingToken)
    {
        // MQTTnet calls this once per message, in order, awaiting it before the next: waiting here for a free slot is
        // the backpressure. The payload is copied because the hand-off outlives this call.
        e.AutoAcknowledge = false;
        MqttApplicationMessage message = e.ApplicationMessage;
        int topicLength = Encoding.UTF8.GetByteCount(message.Topic);
        int payloadLength = checked((int)message.Payload.Length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, topicLength + payloadLength));
        Encoding.UTF8.GetBytes(message.Topic, buffer);
        message.Payload.CopyTo(buffer.AsSpan(topicLength));
        var delivery = new Delivery(e, buffer, topicLength, payloadLength, (MqttQualityOfService)message.QualityOfServiceLevel, message.Retain);
        int now = Interlocked.Increment(ref _unacknowledged);
        UpdatePeak(now);
        try
        {
            await _handoff.Writer.WriteAsync(delivery, stoppingToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            Interlocked.Decrement(ref _unacknowledged);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ProcessAsync(ExternalMqttConnection connection, CancellationToken stoppingToken)
    {
        // Messages are handled one at a time, in order; their acknowledgements wait, in order, for what the handler
        // deferred (the readings being durable) on a second loop, so a slow store does not stall the next message.
        var acks = Channel.CreateUnbounded<(Delivery Delivery, Task? Durable)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Task acking = AcknowledgeInOrderAsync(acks.Reader, connection, stoppingToken);
        var acknowledgement = new MqttAcknowledgement();
        try
        {
            await foreach (Delivery d in _handoff.Reader.ReadAllAsync(stoppingToken))
            {
                bool handled = false;
                Task? durable = null;
                try
                {
                    var inbound = new MqttInboundMessage(d.Buffer.AsMemory(0, d.TopicLength), d.Buffer.AsMemory(d.TopicLength, d.PayloadLength), d.Qos, d.Retain, d.Qos == MqttQualityOfService.AtMostOnce ? null : acknowledgement);
                    await _handler.HandleAsync(inbound, stoppingToken);
                    durable = acknowledgement.Take();
                    handled = true;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    _ = acknowledgement.Take();
                    Interlocked.Increment(ref _failed);
                    Log.HandlerFailed(_logger, ex, d.Args.ApplicationMessage.Topic);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(d.Buffer);
                }

                if (handled)
                {
                    Interlocked.Increment(ref _handled);
                    acks.Writer.TryWrite((d, durable));
                }
                else
                {
                    // Not acknowledged; dropping the connection makes the broker redeliver it on the session.
                    Interlocked.Decrement(ref _unacknowledged);
                    await connection.DropAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            acks.Writer.TryComplete();
            await acking;
        }
    }

    private async Task AcknowledgeInOrderAsync(ChannelReader<(Delivery Delivery, Task? Durable)> acks, ExternalMqttConnection connection, CancellationToken stoppingToken)
    {
        try
        {
            await foreach ((Delivery d, Task? durable) in acks.ReadAllAsync(stoppingToken))
            {
                if (durable is not null)
                {
                    try
                    {
                        await durable.WaitAsync(stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Not durable: left unacknowledged; the broker redelivers it once the connection is back.
                        Interlocked.Decrement(ref _unacknowledged);
                        Interlocked.Increment(ref _failed);
                        Log.HandlerFailed(_logger, ex, d.Args.ApplicationMessage.Topic);
                        await connection.DropAsync();
                        continue;
                    }
                }

                await AcknowledgeAsync(d, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task AcknowledgeAsync(Delivery d, CancellationToken stoppingToken)
    {
        // Counted down before the PUBACK leaves: the broker may answer it with the next message at once.
        Interlocked.Decrement(ref _unacknowledged);
        try
        {
            if (d.Qos != MqttQualityOfService.AtMostOnce)
            {
                await d.Args.AcknowledgeAsync(stoppingToken);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The connection is gone: the broker redelivers the message on the session (a duplicate the
            // pipeline's per-sensor sequence numbers absorb).
            Log.AcknowledgeFailed(_logger, ex.Message);
        }
    }

    private void UpdatePeak(int now)
    {
        int peak = Volatile.Read(ref _peakUnacknowledged);
        while (now > peak)
        {
            int seen = Interlocked.CompareExchange(ref _peakUnacknowledged, now, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }

    private readonly record struct Delivery(
        MqttApplicationMessageReceivedEventArgs Args, byte[] Buffer, int TopicLength, int PayloadLength, MqttQualityOfService Qos, bool Retain);
}
