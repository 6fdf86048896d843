using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Resilience.Simulation.Publishing;

/// <summary>
/// <see cref="ITelemetryPublisher"/> over the MQTTnet client (MQTT 3.1.1, clean session, optional user name and
/// password, optional TLS). QoS 1 publishes are pipelined: up to <see cref="MaxPending"/> wait for their PUBACK while
/// later ones are sent, so a scenario is not paced by the round trip. A lost connection is re-established on the next
/// publish (QoS 1 messages unacknowledged at the cut are reported by <see cref="DrainAsync"/>, not retried).
/// </summary>
public sealed class MqttNetPublisher : ITelemetryPublisher
{
    /// <summary>QoS 1 publishes awaiting acknowledgement before the next publish waits for the oldest.</summary>
    public const int MaxPending = 256;

    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly MqttQualityOfServiceLevel _qos;
    private readonly Queue<Task<MqttClientPublishResult>> _pending = new();

    private MqttNetPublisher(IMqttClient client, MqttClientOptions options, int qos)
    {
        _client = client;
        _options = options;
        _qos = (MqttQualityOfServiceLevel)qos;
    }

    /// <inheritdoc />
    public long Sent { get; private set; }

    /// <summary>QoS 1 publishes the broker refused or that were cut off (not acknowledged).</summary>
    public long Failed { get; private set; }

    /// <summary>Connects anonymously (see the other overload for credentials).</summary>
    public static Task<MqttNetPublisher> ConnectAsync(string host, int port, string clientId, int qos, CancellationToken cancellationToken) =>
        ConnectAsync(new MqttNetPublisherSettings { Host = host, Port = port, ClientId = clientId, Qos = qos }, cancellationToken);

    /// <summary>
    /// Connects and returns the publisher; throws <see cref="InvalidOperationException"/> when the broker refuses the
    /// connection, MQTTnet's communication exceptions when it is unreachable.
    /// </summary>
    public static async Task<MqttNetPublisher> ConnectAsync(MqttNetPublisherSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Qos is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "QoS 0 or 1.");
        }

        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.Host, settings.Port)
            .WithClientId(settings.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (settings.Username is not null)
        {
            builder = builder.WithCredentials(settings.Username, settings.Password ?? string.Empty);
        }

        if (settings.Tls)
        {
            builder = builder.WithTlsOptions(tls => tls.UseTls().WithTargetHost(settings.Host));
        }

        MqttClientOptions options = builder.Build();
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        try
        {
            await ConnectOrThrowAsync(client, options, cancellationToken);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return new MqttNetPublisher(client, options, settings.Qos);
    }

    /// <inheritdoc />
    public async ValueTask PublishAsync(ReadOnlyMemory<byte> topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            await CollectAsync(cancellationToken);
            await ConnectOrThrowAsync(_client, _options, cancellationToken);
        }

        // The caller reuses its payload buffer as soon as this returns, so the message owns a copy.
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(Encoding.UTF8.GetString(topic.Span))
            .WithPayload(payload.ToArray())
            .WithQualityOfServiceLevel(_qos)
            .WithRetainFlag(retain)
            .Build();
        if (_qos == MqttQualityOfServiceLevel.AtMostOnce)
        {
            await _client.PublishAsync(message, cancellationToken);
        }
        else
        {
            if (_pending.Count >= MaxPending)
            {
                await CompleteOldestAsync(cancellationToken);
            }

            _pending.Enqueue(_client.PublishAsync(message, cancellationToken));
        }

        Sent++;
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        long failedBefore = Failed;
        await CollectAsync(cancellationToken);
        if (Failed > failedBefore)
        {
            throw new IOException($"{Failed - failedBefore} QoS 1 message(s) were not acknowledged by the broker.");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await CollectAsync(cts.Token);
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cts.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
        }

        _client.Dispose();
    }

    /// <summary>
    /// Connects; a broker that refuses the CONNECT (bad credentials, not authorised) throws
    /// <see cref="InvalidOperationException"/> naming its reason, which is not worth retrying, unlike an unreachable one.
    /// </summary>
    private static async Task ConnectOrThrowAsync(IMqttClient client, MqttClientOptions options, CancellationToken cancellationToken)
    {
        MqttClientConnectResult result;
        try
        {
            result = await client.ConnectAsync(options, cancellationToken);
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException ex)
        {
            throw new InvalidOperationException($"The broker refused the connection: {ex.Message}", ex);
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"The broker refused the connection: {result.ResultCode}.");
        }
    }

    private async Task CollectAsync(CancellationToken cancellationToken)
    {
        while (_pending.Count > 0)
        {
            await CompleteOldestAsync(cancellationToken);
        }
    }

    private async Task CompleteOldestAsync(CancellationToken cancellationToken)
    {
        Task<MqttClientPublishResult> oldest = _pending.Dequeue();
        try
        {
            MqttClientPublishResult result = await oldest.WaitAsync(cancellationToken);
            if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
            {
                Failed++;
            }
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Failed++;
        }
    }
}
