namespace Resilience.Silo.Alerting;

internal sealed partial class GrainAlerting
{
    // next free: 3401 (3401–3402 in StaleSweepService.Log.cs; next free overall: 3403)
    private static partial class Log
    {
        [LoggerMessage(EventId = 3400, Level = LogLevel.Error, Message = "Applying the {Rule} transition of {Subject} failed")]
        public static partial void ApplyFailed(ILogger logger, string subject, string rule, Exception exception);
    }
}
