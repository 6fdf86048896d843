namespace Resilience.Silo.Sensors;

internal sealed partial class SensorGrain
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3040, Level = LogLevel.Warning, Message = "InfluxDB point of sensor {SensorId} rejected by the writer: {Reason}")]
        public static partial void PointRejected(ILogger logger, string sensorId, string reason);
        [LoggerMessage(EventId = 3096, Level = LogLevel.Warning, Message = "Checkpoint of sensor {SensorId}'s state failed; retried after the next checkpoint interval")]
        public static partial void CheckpointFailed(ILogger logger, string sensorId, Exception exception);
        // next free: 3097 (Silo range 3000–3499, shared across the silo's Log classes)
    }
}
