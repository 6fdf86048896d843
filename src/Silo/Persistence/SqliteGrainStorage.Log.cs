namespace Resilience.Silo.Persistence;

internal sealed partial class SqliteGrainStorage
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3020, Level = LogLevel.Error, Message = "Writing a batch of {Count} grain states to SQLite failed; the writers see the error.")]
        public static partial void BatchFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Stored grain state '{StateName}' of {GrainId} could not be read; it is left out of the scan.")]
        public static partial void ScanSkipped(ILogger logger, string stateName, string grainId, Exception exception);
        // next free: 3091 (Silo range 3000–3499, shared across the silo's Log classes)
    }
}
