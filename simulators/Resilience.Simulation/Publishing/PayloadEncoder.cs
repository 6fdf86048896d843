using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Resilience.Ingest.Pipeline;
using Resilience.Simulation.Registry;
using Resilience.Simulation.Scenarios;

namespace Resilience.Simulation.Publishing;

/// <summary>
/// Encodes simulated readings as DESIGN.md's telemetry JSON object, except weather stations, which send SenML
/// (RFC 8428) so both payload forms flow through the backend.
/// </summary>
public static class PayloadEncoder
{
    /// <summary>The telemetry topic of <paramref name="sensor"/>.</summary>
    public static string TelemetryTopic(SimSensor sensor)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        return $"sensors/{sensor.Province}/{sensor.Id}/telemetry";
    }

    /// <summary>The status topic of <paramref name="sensor"/>.</summary>
    public static string StatusTopic(SimSensor sensor)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        return $"sensors/{sensor.Province}/{sensor.Id}/status";
    }

    /// <summary>Writes the payload of <paramref name="reading"/> with sequence number <paramref name="seq"/>.</summary>
    public static void Write(IBufferWriter<byte> output, SimReading reading, long seq, TimestampMode timestamps)
    {
        ArgumentNullException.ThrowIfNull(reading);
        using var json = new Utf8JsonWriter(output);
        if (reading.Sensor.Kind == SensorKind.Weather)
        {
            WriteSenml(json, reading, timestamps);
        }
        else
        {
            json.WriteStartObject();
            if (timestamps == TimestampMode.Simulated)
            {
                json.WriteString("ts"u8, reading.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            }

            json.WriteNumber("seq"u8, seq);
            json.WriteStartObject("values"u8);
            foreach (QuantityValue v in reading.Values)
            {
                json.WriteNumber(QuantityNames.GetName(v.Quantity), v.Value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    /// <summary>Encodes a reading to a new array (convenience for tests).</summary>
    public static byte[] Encode(SimReading reading, long seq, TimestampMode timestamps)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, reading, seq, timestamps);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSenml(Utf8JsonWriter json, SimReading reading, TimestampMode timestamps)
    {
        json.WriteStartArray();
        bool first = true;
        foreach (QuantityValue v in reading.Values)
        {
            json.WriteStartObject();
            if (first)
            {
                json.WriteString("bn"u8, "urn:dev:resilience:" + reading.Sensor.Id + ":");
                if (timestamps == TimestampMode.Simulated)
                {
                    json.WriteNumber("bt"u8, reading.Timestamp.ToUnixTimeSeconds());
                }

                first = false;
            }

            json.WriteString("n"u8, QuantityNames.GetName(v.Quantity));
            json.WriteString("u"u8, QuantityNames.GetSenmlUnit(v.Quantity));
            json.WriteNumber("v"u8, v.Value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>UTF-8 bytes of a topic.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
