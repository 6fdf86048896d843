using Resilience.Ingest.Pipeline;
using Resilience.Simulation.Publishing;
using Resilience.Simulation.Registry;
using Resilience.Simulation.Scenarios;

namespace Resilience.IntegrationTests.EndToEnd;

/// <summary>One telemetry message as a device sends it (and resends it, byte for byte, after a reconnect).</summary>
internal sealed record OutgoingMessage(SimSensor Sensor, DateTimeOffset Ts, long Seq, QuantityValue[] Values, byte[] Topic, byte[] Payload)
{
    /// <summary>Encodes the message with the simulator's own encoder and simulated timestamps.</summary>
    public static OutgoingMessage Create(SimSensor sensor, DateTimeOffset ts, long seq, QuantityValue[] values)
    {
        byte[] payload = PayloadEncoder.Encode(new SimReading(sensor, 0, ts, seq, values), seq, TimestampMode.Simulated);
        return new OutgoingMessage(sensor, ts, seq, values, PayloadEncoder.Utf8(PayloadEncoder.TelemetryTopic(sensor)), payload);
    }
}
