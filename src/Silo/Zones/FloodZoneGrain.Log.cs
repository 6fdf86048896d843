namespace Resilience.Silo.Zones;

internal sealed partial class FloodZoneGrain
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3050, Level = LogLevel.Information, Message = "Zone {ZoneId} level {From} -> {To} (worst gauge {LevelM} m).")]
        public static partial void LevelChanged(ILogger logger, string zoneId, int from, int to, double levelM);
    }
}
