using System.Text;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Client;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Simulation.Publishing;

/// <summary>
/// <see cref="ITelemetryPublisher"/> over the project's <see cref="MqttClient"/> (reconnects by itself, resends
/// unacknowledged QoS 1). QoS 1 publishes are pipelined: up to <see cref="MaxPending"/> wait for their PUBACK
/// while later ones are sent, so a scenario is not paced by the round trip.
/// </summary>
public sealed class MqttClientPublisher : ITelemetryPublisher
{
    /// <summary>QoS 1 publishes awaiting acknowledgement before the next publish waits for the oldest.</summary>
    public const int MaxPending = 256;

    private readonly MqttClient _client;
    private readonly MqttQualityOfService _qos;
    private readonly Queue<Task> _pending = new();

    private MqttClientPublisher(MqttClient client, MqttQualityOfService qos)
    {
        _client = client;
        _qos = qos;
    }

    /// <inheritdoc />
    public long Sent { get; private set; }

    /// <summary>Connects (MQTT 3.1.1, clean session) and returns the publisher; the client reconnects on its own later.</summary>
    public static Task<MqttClientPublisher> ConnectAsync(string host, int port, string clientId, int qos, CancellationToken cancellationToken)
        => ConnectAsync(host, port, clientId, null, null, qos, cancellationToken);

    /// <summary>Connects with a user name and password (either may be null); otherwise as the overload above.</summary>
    public static async Task<MqttClientPublisher> ConnectAsync(string host, int port, string clientId, string? userName, string? password, int qos, CancellationToken cancellationToken)
    {
        if (qos is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(qos), "QoS 0 or 1.");
        }

        var options = new MqttClientOptions
        {
            Host = host,
            Port = port,
            ClientId = clientId,
            Username = userName,
            Password = password,
            ProtocolVersion = MqttProtocolVersion.V311,
            CleanStart = true,
            MaxInFlight = MaxPending,
            ReceiveChannelCapacity = 0,
        };
        var client = new MqttClient(options);
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return new MqttClientPublisher(client, (MqttQualityOfService)qos);
    }

    /// <inheritdoc />
    public async ValueTask PublishAsync(ReadOnlyMemory<byte> topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        string name = Encoding.UTF8.GetString(topic.Span);
        if (_qos == MqttQualityOfService.AtMostOnce)
        {
            await _client.PublishAsync(name, payload, _qos, retain, cancellationToken);
        }
        else
        {
            // The caller may reuse its payload buffer as soon as this returns, so the pipelined publish gets a copy.
            if (_pending.Count >= MaxPending)
            {
                await _pending.Dequeue();
            }

            _pending.Enqueue(_client.PublishAsync(name, payload.ToArray(), _qos, retain, cancellationToken).AsTask());
        }

        Sent++;
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        while (_pending.Count > 0)
        {
            await _pending.Dequeue().WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await DrainAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or MqttClientException)
        {
        }

        await _client.DisposeAsync();
    }
}
