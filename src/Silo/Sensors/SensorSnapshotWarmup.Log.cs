namespace Resilience.Silo.Sensors;

internal sealed partial class SensorSnapshotWarmup
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3041, Level = LogLevel.Information, Message = "Sensor listing warmed from grain storage: {Sensors} sensors, {Live} live ones re-armed.")]
        public static partial void Warmed(ILogger logger, int sensors, int live);

        [LoggerMessage(EventId = 3042, Level = LogLevel.Warning, Message = "Warming the sensor listing from grain storage failed; it fills as sensors report.")]
        public static partial void WarmupFailed(ILogger logger, Exception exception);
        // next free: 3097 (Silo range 3000–3499, shared across the silo's Log classes)
    }
}
