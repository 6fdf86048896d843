namespace Resilience.Silo.Registry;

internal sealed partial class RegistryProvider
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Sensor registry {Path} loaded: {Provinces} provinces, {Zones} zones, {Sensors} sensors.")]
        public static partial void Loaded(ILogger logger, string path, int provinces, int zones, int sensors);

        [LoggerMessage(EventId = 3031, Level = LogLevel.Information, Message = "Sensor registry {Path} reloaded: {Provinces} provinces, {Zones} zones, {Sensors} sensors.")]
        public static partial void Reloaded(ILogger logger, string path, int provinces, int zones, int sensors);

        [LoggerMessage(EventId = 3032, Level = LogLevel.Error, Message = "Sensor registry {Path} changed but is invalid; keeping the previous registry. {Reason}")]
        public static partial void ReloadRejected(ILogger logger, string path, string reason);
        // next free: 3097 (Silo range 3000–3499, shared across the silo's Log classes)
    }
}
