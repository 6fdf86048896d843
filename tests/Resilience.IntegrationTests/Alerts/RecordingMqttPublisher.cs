using System.Collections.Concurrent;
using System.Text;
using Resilience.Alerts.Dispatch;

namespace Resilience.IntegrationTests.Alerts;

/// <summary>Stands in for the silo's broker: records what would be published (topic, payload, retain).</summary>
internal sealed class RecordingMqttPublisher : IAlertMqttPublisher
{
    public ConcurrentQueue<(string Topic, string Payload, bool Retain)> Published { get; } = new();

    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        Published.Enqueue((topic, Encoding.UTF8.GetString(payload.Span), retain));
        return ValueTask.CompletedTask;
    }
}
