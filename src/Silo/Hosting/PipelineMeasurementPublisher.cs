using System.Globalization;
using Resilience.Ingest.Mqtt.Broker;
using Resilience.Ingest.Pipeline;
using Resilience.Ingest.Storage;

namespace Resilience.Silo.Hosting;

/// <summary>
/// Writes the pipeline's counters to the <c>pipeline</c> measurement (DESIGN.md schema; the pipeline-health
/// dashboard reads it) every <c>Resilience:PipelineMetricsIntervalSeconds</c> (default 10 s): MQTT received and
/// delivered, decoded, dead letters, points accepted/written/retried/dropped, spooled bytes. Cumulative counters,
/// so Grafana derives rates with <c>non_negative_derivative</c>. A full writer skips a tick rather than wait.
/// </summary>
internal sealed partial class PipelineMeasurementPublisher(
    IServiceProvider services,
    IPointWriter writer,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<PipelineMeasurementPublisher> logger) : BackgroundService
{
    private readonly KeyValuePair<string, string>[] _tags = [new("node", Environment.MachineName.ToLowerInvariant())];
    private readonly FieldValue[] _fields = new FieldValue[11];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        double seconds = double.TryParse(configuration["Resilience:PipelineMetricsIntervalSeconds"], NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 10;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                Publish();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.PublishFailed(logger, ex);
            }
        }
    }

    private void Publish()
    {
        MqttBrokerMetricsSnapshot mqtt = services.GetService<MqttBroker>()?.GetMetricsSnapshot() ?? default;
        IngestPipelineMetrics? ingest = services.GetService<IngestPipelineMetrics>();
        InfluxWriterSnapshot influx = services.GetService<IInfluxWriterMetrics>()?.GetSnapshot() ?? default;
        _fields[0] = FieldValue.Integer("received", mqtt.Received);
        _fields[1] = FieldValue.Integer("delivered", mqtt.Delivered);
        _fields[2] = FieldValue.Integer("connections", mqtt.Connections);
        _fields[3] = FieldValue.Integer("decoded", ingest?.Decoded ?? 0);
        _fields[4] = FieldValue.Integer("dead_letters", (ingest?.DeadLetters ?? 0) + influx.DeadLetters);
        _fields[5] = FieldValue.Integer("accepted", influx.Accepted);
        _fields[6] = FieldValue.Integer("written", influx.Written);
        _fields[7] = FieldValue.Integer("retried", influx.Retried);
        _fields[8] = FieldValue.Integer("spooled_bytes", influx.SpooledBytes);
        _fields[9] = FieldValue.Integer("dropped", influx.Dropped + mqtt.Dropped + (ingest?.DeadLettersDropped ?? 0));
        _fields[10] = FieldValue.Integer("mqtt_rejected", mqtt.Rejected);
        long ns = time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        if (!writer.TryWrite(new PointData("pipeline", _tags, _fields, ns)))
        {
            Log.WriterFull(logger);
        }
    }
}
