namespace Resilience.Silo.Ingest;

internal sealed partial class SiloTelemetrySink
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3060, Level = LogLevel.Debug, Message = "Reading for sensor {SensorId} dropped: {Reason}")]
        public static partial void Rejected(ILogger logger, string sensorId, string reason);

        [LoggerMessage(EventId = 3061, Level = LogLevel.Error, Message = "Recording a reading of sensor {SensorId} failed; the reading is kept as a dead letter.")]
        public static partial void RecordFailed(ILogger logger, string sensorId, Exception exception);
        [LoggerMessage(EventId = 3094, Level = LogLevel.Information, Message = "Sensor {SensorId}'s grain is unreachable; an acknowledged reading is retried while the cluster recovers")]
        public static partial void RecordRetried(ILogger logger, string sensorId, Exception exception);

        [LoggerMessage(EventId = 3095, Level = LogLevel.Warning, Message = "Sensor {SensorId}'s grain stayed unreachable; the reading is not acknowledged, so the device re-sends it")]
        public static partial void RecordNotStored(ILogger logger, string sensorId, Exception exception);
        // next free: 3097 (Silo range 3000–3499, shared across the silo's Log classes)
    }
}
