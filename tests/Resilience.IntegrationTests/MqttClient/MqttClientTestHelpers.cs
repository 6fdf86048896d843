using System.Text;
using Resilience.Ingest.Mqtt.Client;
using Resilience.Ingest.Mqtt.Packets;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.MqttClient;

/// <summary>Shared set-up for the client tests against a real mosquitto.</summary>
internal static class MqttClientTestHelpers
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static MqttClientOptions Options(MosquittoProcess broker, MqttProtocolVersion version, string clientId) => new()
    {
        Host = "127.0.0.1",
        Port = broker.Port,
        ClientId = clientId,
        ProtocolVersion = version,
        KeepAliveSeconds = 10,
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromSeconds(1),
    };

    public static async Task<Ingest.Mqtt.Client.MqttClient> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken = default)
    {
        var client = new Ingest.Mqtt.Client.MqttClient(options);
        await client.ConnectAsync(cancellationToken);
        return client;
    }

    public static async Task<List<MqttReceivedMessage>> ReadAsync(Ingest.Mqtt.Client.MqttClient client, int count, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? Deadline);
        var list = new List<MqttReceivedMessage>(count);
        while (list.Count < count)
        {
            list.Add(await client.Messages.ReadAsync(cts.Token));
        }

        return list;
    }

    public static string Text(MqttReceivedMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static async Task WaitUntilAsync(Func<bool> condition, string because)
    {
        DateTime until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("Timed out waiting until " + because);
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
