namespace Resilience.Silo.Grains;

internal sealed partial class SqliteGrainStorage
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3020, Level = LogLevel.Error, Message = "Writing a batch of {Count} grain states to SQLite failed; the writers see the error.")]
        public static partial void BatchFailed(ILogger logger, int count, Exception exception);
    }
}
