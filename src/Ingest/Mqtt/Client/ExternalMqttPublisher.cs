using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// Publishes to the external broker with the MQTTnet client on its own connection (client id
/// <c>{ClientId}-pub</c>, clean session, the silo's user): the silo's retained <c>alerts/{province}/{subject}</c>
/// topics when it runs against an external broker. Kept connected in the background; a publish while the
/// connection is down throws, and the caller (the alert outbox) retries.
/// </summary>
public sealed partial class ExternalMqttPublisher : BackgroundService
{
    private readonly ExternalMqttOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ExternalMqttConnection _connection;

    /// <summary>Creates the publisher; it connects when the host starts it.</summary>
    public ExternalMqttPublisher(IOptions<ExternalMqttOptions> options, TimeProvider timeProvider, ILogger<ExternalMqttPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        _connection = new ExternalMqttConnection(_options, _options.EffectiveClientId + "-pub", persistentSession: false, onConnected: null, _time, _logger);
    }

    /// <summary>True while connected.</summary>
    public bool IsConnected => _connection.Client.IsConnected;

    /// <summary>
    /// Publishes one message and, at QoS 1/2, waits for the broker's acknowledgement. Throws
    /// <see cref="InvalidOperationException"/> when not connected or when the broker refuses it (an ACL).
    /// </summary>
    public async ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, CancellationToken cancellationToken)
    {
        if (!_connection.Client.IsConnected)
        {
            throw new InvalidOperationException($"Not connected to the external MQTT broker {_options.Host}:{_options.Port}.");
        }

        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayloadSegment(payload)
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos)
            .WithRetainFlag(retain)
            .Build();
        MqttClientPublishResult result = await _connection.Client.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            Log.Refused(_logger, topic, result.ReasonCode.ToString());
            throw new InvalidOperationException($"The external MQTT broker refused the publish on '{topic}': {result.ReasonCode} {result.ReasonString}");
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _connection.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _connection.RunAsync(stoppingToken);
}
