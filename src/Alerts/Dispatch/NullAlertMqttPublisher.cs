namespace Resilience.Alerts.Dispatch;

/// <summary>The default publisher until the silo registers its broker: accepts and drops.</summary>
internal sealed class NullAlertMqttPublisher : IAlertMqttPublisher
{
    /// <inheritdoc />
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}
