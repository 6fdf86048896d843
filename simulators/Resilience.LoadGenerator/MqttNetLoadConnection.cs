using System.Diagnostics;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Resilience.LoadGenerator;

/// <summary>
/// The load generator's MQTTnet mode (<c>--client mqttnet</c>): the same messages as <see cref="LoadConnection"/>,
/// published one <see cref="IMqttClient.PublishAsync"/> at a time (QoS 1: up to <see cref="MaxPending"/> awaiting
/// their PUBACK). ./bench.sh runs both modes against the same broker to show why the raw one measures the system.
/// </summary>
internal sealed class MqttNetLoadConnection : ILoadConnection
{
    private const int MaxPending = 1000;

    private readonly LoadTemplate[] _templates;
    private readonly int _qos;
    private long _acked;

    public MqttNetLoadConnection(LoadTemplate[] templates, int qos)
    {
        _templates = templates;
        _qos = qos;
    }

    public long Sent { get; private set; }

    public long Acked => Interlocked.Read(ref _acked);

    public TimeSpan ActiveTime { get; private set; }

    public async Task RunAsync(LoadTarget target, string clientId, double rate, TimeSpan duration, long maxMessages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(target.Host, target.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession(true)
            .WithNoKeepAlive();
        if (target.Username is not null)
        {
            builder = builder.WithCredentials(target.Username, target.Password ?? string.Empty);
        }

        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(builder.Build(), cancellationToken);
        var pending = new Queue<Task>();
        var clock = Stopwatch.StartNew();
        int next = 0;
        try
        {
            while (Sent < maxMessages && clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                if (rate > 0 && Sent >= (long)(clock.Elapsed.TotalSeconds * rate))
                {
                    await Task.Delay(1, cancellationToken);
                    continue;
                }

                LoadTemplate t = _templates[next];
                next = next + 1 == _templates.Length ? 0 : next + 1;
                byte[] packet = (byte[])t.Packet.Clone();
                LoadPatcher.Next(t, packet, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Sent);
                MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                    .WithTopic(t.TopicName)
                    .WithPayloadSegment(new ArraySegment<byte>(packet, t.PayloadOffset, packet.Length - t.PayloadOffset))
                    .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)_qos)
                    .Build();
                if (_qos == 0)
                {
                    await client.PublishAsync(message, cancellationToken);
                }
                else
                {
                    if (pending.Count >= MaxPending)
                    {
                        await pending.Dequeue();
                    }

                    pending.Enqueue(PublishCountingAsync(client, message, cancellationToken));
                }

                Sent++;
            }

            while (pending.Count > 0)
            {
                await pending.Dequeue();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped from outside (Ctrl-C, SIGTERM): report what was sent.
        }

        ActiveTime = clock.Elapsed;
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
    }

    private async Task PublishCountingAsync(IMqttClient client, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        MqttClientPublishResult result = await client.PublishAsync(message, cancellationToken);
        if (result.IsSuccess || result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            Interlocked.Increment(ref _acked);
        }
    }
}
