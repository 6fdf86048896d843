using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Resilience.Ingest.Mqtt;

namespace Resilience.Ingest.Pipeline;

/// <summary>
/// The silo's <see cref="IMqttMessageHandler"/>: parses the topic, decodes telemetry or status, passes the
/// result to <see cref="ITelemetrySink"/> (awaited: backpressure) and dead-letters everything it cannot accept.
/// Steady state allocates nothing per message: readings live in a pooled array for the duration of the call.
/// </summary>
internal sealed partial class IngestPipeline : IMqttMessageHandler
{
    private readonly TopicParser _topics;
    private readonly TelemetryDecoder _decoder;
    private readonly DeadLetterQueue _deadLetters;
    private readonly IngestPipelineMetrics _metrics;
    private readonly ITelemetrySink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestPipeline> _logger;
    private readonly int _maxReadings;

    /// <summary>Creates the pipeline.</summary>
    public IngestPipeline(
        TopicParser topics,
        TelemetryDecoder decoder,
        DeadLetterQueue deadLetters,
        IngestPipelineMetrics metrics,
        ITelemetrySink sink,
        TimeProvider time,
        ILogger<IngestPipeline> logger,
        int maxReadingsPerMessage = 32)
    {
        _topics = topics;
        _decoder = decoder;
        _deadLetters = deadLetters;
        _metrics = metrics;
        _sink = sink;
        _time = time;
        _logger = logger;
        _maxReadings = maxReadingsPerMessage;
    }

    /// <inheritdoc />
    public ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
    {
        _metrics.OnReceived();
        DeadLetterReason topicResult = _topics.TryParse(message.TopicUtf8.Span, out DeviceTopic topic);
        if (topicResult != DeadLetterReason.None)
        {
            Reject(message, new DecodeResult(topicResult));
            return ValueTask.CompletedTask;
        }

        if (topic.Kind == TopicKind.Status)
        {
            if (!StatusPayload.TryParse(message.Payload.Span, out DeviceStatus status))
            {
                Reject(message, new DecodeResult(DeadLetterReason.BadStatus));
                return ValueTask.CompletedTask;
            }

            _metrics.OnDecoded();
            return _sink.OnStatusAsync(new DeviceStatusUpdate(topic.SensorId, topic.Province, status, message.Retain, _time.GetUtcNow()), cancellationToken);
        }

        TelemetryReading[] readings = ArrayPool<TelemetryReading>.Shared.Rent(_maxReadings);
        ValueTask pending;
        try
        {
            DecodeResult result = _decoder.Decode(message.Payload.Span, topic.SensorId, topic.Province, readings.AsSpan(0, _maxReadings), out int written);
            if (!result.IsSuccess)
            {
                Reject(message, result);
                ArrayPool<TelemetryReading>.Shared.Return(readings);
                return ValueTask.CompletedTask;
            }

            _metrics.OnDecoded();
            pending = _sink.OnTelemetryAsync(readings.AsMemory(0, written), message.Qos == MqttQualityOfService.AtMostOnce ? null : message.Acknowledgement, cancellationToken);
            if (pending.IsCompletedSuccessfully)
            {
                pending.GetAwaiter().GetResult();
                ArrayPool<TelemetryReading>.Shared.Return(readings);
                return ValueTask.CompletedTask;
            }
        }
        catch
        {
            ArrayPool<TelemetryReading>.Shared.Return(readings);
            throw;
        }

        return AwaitAndReturnAsync(pending, readings);
    }

    private static async ValueTask AwaitAndReturnAsync(ValueTask pending, TelemetryReading[] readings)
    {
        try
        {
            await pending;
        }
        finally
        {
            ArrayPool<TelemetryReading>.Shared.Return(readings);
        }
    }

    private void Reject(MqttInboundMessage message, in DecodeResult result)
    {
        _metrics.OnDeadLetter(result.Reason);
        string topic = Encoding.UTF8.GetString(message.TopicUtf8.Span);
        string reason = DeadLetterReasons.Describe(result);
        Log.Rejected(_logger, topic, reason);
        var deadLetter = DeadLetter.Create(topic, message.Payload.Span, reason, DeadLetterReasons.Code(result.Reason), _time.GetUtcNow());
        if (!_deadLetters.TryEnqueue(deadLetter))
        {
            Log.DeadLetterDropped(_logger, topic);
        }
    }
}
