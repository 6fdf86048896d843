using System.Collections.Concurrent;
using System.Text;
using Resilience.Ingest.Mqtt;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>An in-process subscriber that records "topic payload" lines.</summary>
internal sealed class RecordingHandler : IMqttMessageHandler
{
    private long _count;

    public ConcurrentQueue<string> Messages { get; } = new();

    public bool Record { get; init; } = true;

    public long Count => Interlocked.Read(ref _count);

    public ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
    {
        if (Record)
        {
            Messages.Enqueue($"{Encoding.UTF8.GetString(message.TopicUtf8.Span)} {Encoding.UTF8.GetString(message.Payload.Span)}");
        }

        Interlocked.Increment(ref _count);
        return ValueTask.CompletedTask;
    }
}
