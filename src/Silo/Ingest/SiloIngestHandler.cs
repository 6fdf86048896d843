using System.Diagnostics.Metrics;
using System.Text;
using Resilience.Ingest.Mqtt;
using Resilience.Silo.Grains;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;

namespace Resilience.Silo.Ingest;

/// <summary>
/// The silo's ingest entry point: the broker (or MQTT client) hands each message here. The topic names the
/// sensor; the payload is decoded through <see cref="ITelemetryDecoder"/> and the reading is awaited into the
/// sensor grain, so a full mailbox slows the publisher down. Nothing a device sends can throw out of here.
/// </summary>
internal sealed partial class SiloIngestHandler : IMqttMessageHandler, IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly RegistryProvider _registry;
    private readonly SensorLiveness _liveness;
    private readonly ITelemetryDecoder _decoder;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Meter _meter = new("Resilience.Silo.Ingest");
    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicates;

    public SiloIngestHandler(IGrainFactory grains, RegistryProvider registry, SensorLiveness liveness, ITelemetryDecoder decoder, TimeProvider time, ILogger<SiloIngestHandler> logger)
    {
        _grains = grains;
        _registry = registry;
        _liveness = liveness;
        _decoder = decoder;
        _time = time;
        _logger = logger;
        _received = _meter.CreateCounter<long>("resilience.silo.ingest.received", description: "Sensor messages handed to the silo.");
        _rejected = _meter.CreateCounter<long>("resilience.silo.ingest.rejected", description: "Messages dropped: unknown topic or sensor, province mismatch, bad payload.");
        _duplicates = _meter.CreateCounter<long>("resilience.silo.ingest.duplicates", description: "Readings dropped as duplicates by sequence number.");
    }

    /// <summary>Messages handled.</summary>
    public long Received => Interlocked.Read(ref _receivedCount);

    /// <summary>Messages rejected.</summary>
    public long Rejected => Interlocked.Read(ref _rejectedCount);

    private long _receivedCount;
    private long _rejectedCount;

    public async ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _receivedCount);
        _received.Add(1);
        try
        {
            SensorInfo? sensor = Resolve(message.TopicUtf8.Span, out TelemetryTopic.Kind kind);
            if (sensor is null)
            {
                return;
            }

            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            if (kind == TelemetryTopic.Kind.Status)
            {
                ReadOnlySpan<byte> p = message.Payload.Span.Trim((byte)' ');
                if (p.SequenceEqual("online"u8) || p.SequenceEqual("offline"u8))
                {
                    _liveness.SetStatus(sensor, p.Length == 6, now);
                }
                else
                {
                    Reject(sensor.Id, "status must be online or offline");
                }

                return;
            }

            if (!_decoder.TryDecode(message.Payload.Span, now, out SensorReading? reading, out string? error))
            {
                Reject(sensor.Id, error ?? "undecodable payload");
                return;
            }

            RecordOutcome outcome = await _grains.GetGrain<ISensorGrain>(sensor.Id).RecordAsync(reading!, cancellationToken);
            if (outcome == RecordOutcome.Duplicate)
            {
                _duplicates.Add(1);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, ex);
        }
    }

    public void Dispose() => _meter.Dispose();

    private SensorInfo? Resolve(ReadOnlySpan<byte> topic, out TelemetryTopic.Kind kind)
    {
        if (!TelemetryTopic.TryParse(topic, out ReadOnlySpan<byte> province, out ReadOnlySpan<byte> id, out kind))
        {
            Reject(null, "not a sensor topic");
            return null;
        }

        Span<char> chars = stackalloc char[64];
        if (!Encoding.UTF8.TryGetChars(id, chars, out int n) || !RegistryLoader.IsValidId(chars[..n]))
        {
            Reject(null, "bad sensor id");
            return null;
        }

        if (!_registry.Current.TryGetSensor(chars[..n], out SensorInfo? sensor))
        {
            Reject(null, "unknown sensor");
            return null;
        }

        if (!ProvinceMatches(province, sensor.Province))
        {
            Reject(sensor.Id, "topic province differs from the registry");
            return null;
        }

        return sensor;
    }

    private static bool ProvinceMatches(ReadOnlySpan<byte> province, string expected)
    {
        if (province.Length != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < province.Length; i++)
        {
            if (province[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private void Reject(string? sensorId, string reason)
    {
        Interlocked.Increment(ref _rejectedCount);
        _rejected.Add(1);
        Log.Rejected(_logger, sensorId ?? "?", reason);
    }
}
