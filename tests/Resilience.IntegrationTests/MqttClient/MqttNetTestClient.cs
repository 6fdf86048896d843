using System.Text;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Resilience.IntegrationTests.MqttClient;

/// <summary>
/// MQTTnet's client as the tests' independent MQTT implementation: connects to our broker or to mosquitto, and
/// collects what it receives (topic, payload, QoS, retain) in order.
/// </summary>
internal sealed class MqttNetTestClient : IAsyncDisposable
{
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();

    private MqttNetTestClient()
    {
        Client = new MqttClientFactory().CreateMqttClient();
        Client.ApplicationMessageReceivedAsync += e =>
        {
            MqttApplicationMessage m = e.ApplicationMessage;
            _received.Writer.TryWrite(new Received(m.Topic, Encoding.UTF8.GetString(m.Payload), (int)m.QualityOfServiceLevel, m.Retain));
            return Task.CompletedTask;
        };
    }

    public IMqttClient Client { get; }

    public MqttClientConnectResult ConnectResult { get; private set; } = null!;

    public static MqttClientOptionsBuilder Options(int port, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(10));

    /// <summary>Connects; a refused CONNECT throws <see cref="InvalidOperationException"/> naming the CONNACK code.</summary>
    public static async Task<MqttNetTestClient> ConnectAsync(MqttClientOptionsBuilder options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new MqttNetTestClient();
        try
        {
            client.ConnectResult = await client.Client.ConnectAsync(options.Build(), cancellationToken);
            if (client.ConnectResult.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"CONNECT refused: {client.ConnectResult.ResultCode}");
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or MQTTnet.Adapter.MqttConnectingFailedException)
        {
            client.Client.Dispose();
            throw;
        }

        return client;
    }

    public async Task SubscribeAsync(string filter, int qos, CancellationToken cancellationToken)
    {
        MqttClientSubscribeResult result = await Client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, (MqttQualityOfServiceLevel)qos).Build(), cancellationToken);
        int granted = (int)result.Items.Single().ResultCode;
        if (granted > 2)
        {
            throw new InvalidOperationException($"SUBSCRIBE {filter} refused: {result.Items.Single().ResultCode}");
        }
    }

    public Task<MqttClientPublishResult> PublishAsync(string topic, string payload, int qos, bool retain = false, CancellationToken cancellationToken = default) =>
        Client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos).WithRetainFlag(retain).Build(),
            cancellationToken);

    /// <summary>Reads <paramref name="count"/> messages or throws after <paramref name="timeout"/> (30 s by default).</summary>
    public async Task<List<Received>> ReadAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        var list = new List<Received>(count);
        try
        {
            while (list.Count < count)
            {
                list.Add(await _received.Reader.ReadAsync(cts.Token));
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Received {list.Count} of {count} messages: {string.Join(", ", list)}");
        }

        return list;
    }

    /// <summary>Messages received and not read yet.</summary>
    public int Pending => _received.Reader.Count;

    public async ValueTask DisposeAsync()
    {
        if (Client.IsConnected)
        {
            try
            {
                await Client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
            }
        }

        Client.Dispose();
    }

    public sealed record Received(string Topic, string Payload, int Qos, bool Retain);
}
