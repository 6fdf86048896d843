using Microsoft.Extensions.Logging;

namespace Resilience.Ingest.Storage;

internal sealed partial class InfluxPointWriter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "InfluxDB writer started: {Endpoint}, spool {SpoolDirectory} ({PendingBytes} bytes pending, {CorruptRecords} torn records dropped).")]
        public static partial void Started(ILogger logger, string endpoint, string spoolDirectory, long pendingBytes, long corruptRecords);

        [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "InfluxDB write failed ({Error}); retrying from the spool in {Delay}.")]
        public static partial void TransientError(ILogger logger, string? error, TimeSpan delay);

        [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "InfluxDB refused a line ({Status} {Error}); it went to the dead-letter file.")]
        public static partial void LineDeadLettered(ILogger logger, int status, string? error);

        [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "InfluxDB answers again after {Attempts} failed attempts; replaying the spool.")]
        public static partial void Recovered(ILogger logger, int attempts);

        [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "Spool or dead-letter file I/O failed; retrying.")]
        public static partial void SpoolIoError(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1305, Level = LogLevel.Error, Message = "InfluxDB writer background failure.")]
        public static partial void BackgroundFailure(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "Stop deadline reached before the open batch ({Lines} lines) could be sealed.")]
        public static partial void StopIncomplete(ILogger logger, int lines);

        [LoggerMessage(EventId = 1307, Level = LogLevel.Error, Message = "Stop deadline reached with the spool full (FullPolicy Block): {Lines} lines were not persisted.")]
        public static partial void LinesLostAtStop(ILogger logger, int lines);

        // next free: 1308
    }
}
