namespace Resilience.Ingest.Mqtt;

/// <summary>
/// Lets an in-process consumer hold back a QoS 1/2 message's acknowledgement until its data is durable, without
/// holding up the publisher's next message: the handler returns once it has taken the message (in order) and calls
/// <see cref="DeferUntil"/> with a task that completes when the message is stored. The embedded broker keeps reading
/// the connection and sends the PUBACK/PUBREC when that task completes, in the order the messages came (at most its
/// receive maximum outstanding); if the task fails, the connection closes unacknowledged and the client re-sends.
/// The MQTT client consumer awaits the task before acknowledging. One instance per connection, reused per message.
/// </summary>
public sealed class MqttAcknowledgement
{
    private Task? _task;

    /// <summary>Holds the acknowledgement until <paramref name="durable"/> completes (several calls: all of them).</summary>
    public void DeferUntil(Task durable)
    {
        ArgumentNullException.ThrowIfNull(durable);
        _task = _task is null ? durable : Task.WhenAll(_task, durable);
    }

    /// <summary>Takes what the handler deferred (null: acknowledge at once) and clears it for the next message.</summary>
    internal Task? Take()
    {
        Task? task = _task;
        _task = null;
        return task;
    }
}
