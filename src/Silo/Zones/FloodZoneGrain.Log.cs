namespace Resilience.Silo.Zones;

internal sealed partial class FloodZoneGrain
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3050, Level = LogLevel.Information, Message = "Zone {ZoneId} level {From} -> {To} (worst gauge {LevelM} m).")]
        public static partial void LevelChanged(ILogger logger, string zoneId, int from, int to, double levelM);
        // next free: 3097 (Silo range 3000–3499, shared across the silo's Log classes)
    }
}
