namespace Resilience.Silo.Ingest;

internal sealed partial class SiloTelemetrySink
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3060, Level = LogLevel.Debug, Message = "Reading for sensor {SensorId} dropped: {Reason}")]
        public static partial void Rejected(ILogger logger, string sensorId, string reason);

        [LoggerMessage(EventId = 3061, Level = LogLevel.Error, Message = "Recording a reading of sensor {SensorId} failed; the reading is dropped.")]
        public static partial void RecordFailed(ILogger logger, string sensorId, Exception exception);
    }
}
