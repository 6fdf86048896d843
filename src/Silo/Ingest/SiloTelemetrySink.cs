using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Pipeline;
using Resilience.Silo.Hosting;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;

namespace Resilience.Silo.Ingest;

/// <summary>
/// The silo's ingest entry point behind the pipeline: the pipeline (the broker's in-process
/// <c>IMqttMessageHandler</c>) parses the topic and decodes JSON or SenML; this sink checks the sensor against the
/// registry (the one registry lookup of a reading) and awaits each reading into its sensor grain, so a slow grain
/// slows the publisher down (each caller has one call in flight). Nothing a
/// device sends can throw out of here: readings from unknown sensors and province mismatches are counted, logged
/// and kept as dead-letter records with their reason (the reading re-encoded as JSON), so nothing is lost.
/// </summary>
internal sealed partial class SiloTelemetrySink : ITelemetrySink, IDisposable
{
    private readonly GrainReferenceCache _grains;
    private readonly RegistryProvider _registry;
    private readonly ILogger _logger;
    private readonly DeadLetterQueue? _deadLetters;
    private readonly TimeProvider _time;
    private readonly Meter _meter = new("Resilience.Silo.Ingest");
    private readonly Counter<long> _readings;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicates;
    private readonly SemaphoreSlim _inFlight;
    private readonly int _maxInFlight;
    private long _rejectedCount;
    private int _calls;
    private int _peakCalls;

    public SiloTelemetrySink(
        GrainReferenceCache grains,
        RegistryProvider registry,
        ILogger<SiloTelemetrySink> logger,
        DeadLetterQueue? deadLetters = null,
        TimeProvider? time = null,
        Microsoft.Extensions.Options.IOptions<GrainOptions>? grainOptions = null)
    {
        _maxInFlight = grainOptions?.Value.MaxIngestCallsInFlight ?? new GrainOptions().MaxIngestCallsInFlight;
        _inFlight = new SemaphoreSlim(_maxInFlight, _maxInFlight);
        _deadLetters = deadLetters;
        _time = time ?? TimeProvider.System;
        _grains = grains;
        _registry = registry;
        _logger = logger;
        _readings = _meter.CreateCounter<long>("resilience.silo.ingest.readings", description: "Readings handed to sensor grains.");
        _rejected = _meter.CreateCounter<long>("resilience.silo.ingest.rejected", description: "Readings dropped: sensor not in the registry or topic province differs.");
        _duplicates = _meter.CreateCounter<long>("resilience.silo.ingest.duplicates", description: "Readings dropped as duplicates by sequence number.");
    }

    /// <summary>Readings rejected so far.</summary>
    public long Rejected => Interlocked.Read(ref _rejectedCount);

    /// <summary>The most grain calls this sink had in flight at once (never above <see cref="GrainOptions.MaxIngestCallsInFlight"/>).</summary>
    public int PeakCallsInFlight => Volatile.Read(ref _peakCalls);

    public async ValueTask OnTelemetryAsync(ReadOnlyMemory<TelemetryReading> readings, MqttAcknowledgement? acknowledgement, CancellationToken cancellationToken)
    {
        for (int i = 0; i < readings.Length; i++)
        {
            SensorReading? reading = Convert(readings.Span[i], acknowledgement is not null, out SensorInfo? sensor);
            if (reading is null)
            {
                continue;
            }

            // Each broker connection awaits its messages one at a time; this bound caps the silo's total as well, so
            // overload makes publishers wait here instead of queueing calls in Orleans without limit.
            await _inFlight.WaitAsync(cancellationToken);
            int calls = Interlocked.Increment(ref _calls);
            int peak;
            while (calls > (peak = Volatile.Read(ref _peakCalls)) && Interlocked.CompareExchange(ref _peakCalls, calls, peak) != peak)
            {
            }

            try
            {
                ISensorGrain grain = _grains.Sensor(sensor!.Id);
                RecordOutcome outcome = await RecordAsync(grain, sensor.Id, reading, cancellationToken);
                // The publisher's acknowledgement waits until the points are durable on the grain's silo; this
                // connection's next message does not.
                acknowledgement?.DeferUntil(grain.WhenDurableAsync());
                _readings.Add(1);
                if (outcome == RecordOutcome.Duplicate)
                {
                    _duplicates.Add(1);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (MqttDeliveryFailedException)
            {
                throw;
            }
            catch (Exception ex)
            {
                Log.RecordFailed(_logger, sensor!.Id, ex);
                DeadLetter(readings.Span[i], "the sensor grain failed: " + ex.GetType().Name + ": " + ex.Message);
            }
            finally
            {
                Interlocked.Decrement(ref _calls);
                _inFlight.Release();
            }
        }
    }

    /// <summary>
    /// Calls the sensor grain. A reading whose publisher waits for an acknowledgement is retried while the cluster
    /// recovers (a silo died and its grains move: Orleans fails the calls in flight to it with an
    /// <see cref="OrleansException"/> or a timeout) for up to <see cref="DurableRetryLimit"/>; if it still cannot be
    /// stored, <see cref="MqttDeliveryFailedException"/> leaves it unacknowledged, so the device re-sends it.
    /// </summary>
    private async Task<RecordOutcome> RecordAsync(ISensorGrain grain, string sensorId, SensorReading reading, CancellationToken cancellationToken)
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(100);
        long started = _time.GetTimestamp();
        while (true)
        {
            try
            {
                return await grain.RecordAsync(reading);
            }
            catch (Exception ex) when (reading.Durable && ex is OrleansException or TimeoutException)
            {
                if (_time.GetElapsedTime(started) + delay > DurableRetryLimit)
                {
                    Log.RecordNotStored(_logger, sensorId, ex);
                    throw new MqttDeliveryFailedException($"sensor {sensorId}: the reading could not be stored ({ex.GetType().Name}: {ex.Message})", ex);
                }

                Log.RecordRetried(_logger, sensorId, ex);
                await Task.Delay(delay, _time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>How long a grain call for an acknowledged reading is retried before the reading is left unacknowledged.</summary>
    internal static TimeSpan DurableRetryLimit { get; } = TimeSpan.FromSeconds(20);

    public async ValueTask OnStatusAsync(DeviceStatusUpdate update, CancellationToken cancellationToken)
    {
        if (Resolve(update.SensorId, update.Province, out string? reason) is { } sensor)
        {
            try
            {
                await _grains.Sensor(sensor.Id).SetStatusAsync(update.Status == DeviceStatus.Online, update.ReceivedAt.ToUnixTimeMilliseconds());
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.RecordFailed(_logger, sensor.Id, ex);
            }
        }
        else
        {
            string payload = update.Status == DeviceStatus.Online ? "online" : "offline";
            Enqueue($"sensors/{update.Province}/{update.SensorId}/status", Encoding.UTF8.GetBytes(payload), reason!);
        }
    }

    public void Dispose()
    {
        _meter.Dispose();
        _inFlight.Dispose();
    }

    private SensorReading? Convert(in TelemetryReading r, bool durable, out SensorInfo? sensor)
    {
        sensor = Resolve(r.SensorId, r.Province, out string? reason);
        if (sensor is null)
        {
            DeadLetter(r, reason!);
            return null;
        }

        if (r.Count == 0)
        {
            return null;
        }

        var values = new QuantityValue[r.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = r[i];
        }

        return new SensorReading(r.Timestamp.ToUnixTimeMilliseconds(), r.Seq ?? -1, values, r.HasDeviceTimestamp, durable);
    }

    private SensorInfo? Resolve(string sensorId, string province, out string? reason)
    {
        if (!_registry.Current.TryGetSensor(sensorId, out SensorInfo? sensor))
        {
            reason = "sensor not in the registry";
            Reject(sensorId, reason);
            return null;
        }

        if (!string.Equals(sensor.Province, province, StringComparison.Ordinal))
        {
            reason = $"topic province '{province}' differs from the registry's '{sensor.Province}'";
            Reject(sensorId, reason);
            return null;
        }

        reason = null;
        return sensor;
    }

    /// <summary>Keeps a rejected reading as a dead letter: its time, seq and values re-encoded as telemetry JSON.</summary>
    private void DeadLetter(in TelemetryReading r, string reason)
    {
        if (_deadLetters is null)
        {
            return;
        }

        var json = new StringBuilder(96);
        json.Append(CultureInfo.InvariantCulture, $"{{\"ts\":{r.Timestamp.ToUnixTimeMilliseconds()}");
        if (r.Seq is long seq)
        {
            json.Append(CultureInfo.InvariantCulture, $",\"seq\":{seq}");
        }

        json.Append(",\"values\":{");
        for (int i = 0; i < r.Count; i++)
        {
            QuantityValue v = r[i];
            json.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : string.Empty)}\"{QuantityNames.GetName(v.Quantity)}\":{v.Value:R}");
        }

        json.Append("}}");
        Enqueue($"sensors/{r.Province}/{r.SensorId}/telemetry", Encoding.UTF8.GetBytes(json.ToString()), reason);
    }

    private void Enqueue(string topic, byte[] payload, string reason)
    {
        _deadLetters?.TryEnqueue(Resilience.Ingest.Pipeline.DeadLetter.Create(topic, payload, reason, "unknown_sensor", _time.GetUtcNow()));
    }

    private void Reject(string sensorId, string reason)
    {
        Interlocked.Increment(ref _rejectedCount);
        _rejected.Add(1);
        Log.Rejected(_logger, sensorId, reason);
    }
}
