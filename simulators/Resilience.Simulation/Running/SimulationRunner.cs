using System.Buffers;
using Resilience.Simulation.Publishing;
using Resilience.Simulation.Registry;
using Resilience.Simulation.Scenarios;

namespace Resilience.Simulation.Running;

/// <summary>
/// Plays a scenario in (compressed) real time: a reading simulated at <c>start + t</c> is published at
/// <c>runStart + t / speed</c> (speed 0 = as fast as the connection takes them). Sequence numbers are per device
/// and keep increasing across loops.
/// </summary>
public sealed class SimulationRunner
{
    private readonly ITelemetryPublisher _publisher;
    private readonly TimeProvider _time;
    private readonly TimestampMode _timestamps;
    private readonly Dictionary<string, long> _seq = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _topics = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _payload = new(512);

    /// <summary>Creates a runner publishing through <paramref name="publisher"/>.</summary>
    public SimulationRunner(ITelemetryPublisher publisher, TimeProvider time, TimestampMode timestamps)
    {
        _publisher = publisher;
        _time = time;
        _timestamps = timestamps;
    }

    /// <summary>Telemetry messages published so far.</summary>
    public long Published { get; private set; }

    /// <summary>Publishes <paramref name="status"/> (retained) for every sensor.</summary>
    public async Task PublishStatusAsync(IEnumerable<SimSensor> sensors, string status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        byte[] payload = PayloadEncoder.Utf8(status);
        foreach (SimSensor sensor in sensors)
        {
            await _publisher.PublishAsync(PayloadEncoder.Utf8(PayloadEncoder.StatusTopic(sensor)), payload, retain: true, cancellationToken);
        }

        await _publisher.FlushAsync(cancellationToken);
    }

    /// <summary>Plays every reading of <paramref name="engine"/> at <paramref name="speed"/>; returns how many were published.</summary>
    public async Task<long> RunAsync(ScenarioEngine engine, double speed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        long started = _time.GetTimestamp();
        long count = 0;
        foreach (SimReading reading in engine.Run())
        {
            if (speed > 0)
            {
                TimeSpan due = TimeSpan.FromSeconds((reading.Timestamp - engine.Start).TotalSeconds / speed);
                TimeSpan wait = due - _time.GetElapsedTime(started);
                if (wait > TimeSpan.FromMilliseconds(2))
                {
                    await _publisher.FlushAsync(cancellationToken);
                    await Task.Delay(wait, _time, cancellationToken);
                }
            }

            await PublishReadingAsync(reading, cancellationToken);
            count++;
        }

        await _publisher.FlushAsync(cancellationToken);
        return count;
    }

    /// <summary>
    /// Plays <paramref name="engine"/> live: every reading stamped at or before the clock's "now" goes out at once
    /// (the backfill), each later one when the clock reaches its timestamp, so no published timestamp is ever ahead
    /// of the clock. <paramref name="caughtUp"/> is called once, with the number of readings backfilled, when the
    /// next reading lies in the future (never when the whole scenario is in the past).
    /// </summary>
    public async Task<long> RunLiveAsync(ScenarioEngine engine, Action<long>? caughtUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        long count = 0;
        bool live = false;
        foreach (SimReading reading in engine.Run())
        {
            if (reading.Timestamp > _time.GetUtcNow())
            {
                await _publisher.FlushAsync(cancellationToken);
                if (!live)
                {
                    live = true;
                    caughtUp?.Invoke(count);
                }

                // A timer may fire a little early: check the clock again rather than trust the delay.
                for (DateTimeOffset now = _time.GetUtcNow(); now < reading.Timestamp; now = _time.GetUtcNow())
                {
                    await Task.Delay(reading.Timestamp - now, _time, cancellationToken);
                }
            }

            await PublishReadingAsync(reading, cancellationToken);
            count++;
        }

        await _publisher.FlushAsync(cancellationToken);
        return count;
    }

    private async ValueTask PublishReadingAsync(SimReading reading, CancellationToken cancellationToken)
    {
        string id = reading.Sensor.Id;
        long seq = _seq.TryGetValue(id, out long last) ? last + 1 : 1;
        _seq[id] = seq;
        if (!_topics.TryGetValue(id, out byte[]? topic))
        {
            topic = PayloadEncoder.Utf8(PayloadEncoder.TelemetryTopic(reading.Sensor));
            _topics[id] = topic;
        }

        _payload.ResetWrittenCount();
        PayloadEncoder.Write(_payload, reading, seq, _timestamps);
        await _publisher.PublishAsync(topic, _payload.WrittenMemory, retain: false, cancellationToken);
        Published++;
    }
}
