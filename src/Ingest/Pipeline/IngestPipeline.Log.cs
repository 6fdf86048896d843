using Microsoft.Extensions.Logging;

namespace Resilience.Ingest.Pipeline;

internal sealed partial class IngestPipeline
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1500, Level = LogLevel.Debug, Message = "Message on {Topic} dead-lettered: {Reason}.")]
        public static partial void Rejected(ILogger logger, string topic, string reason);

        [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Dead-letter queue full; a dead letter on {Topic} was dropped (counted in dead_letters_dropped).")]
        public static partial void DeadLetterDropped(ILogger logger, string topic);

        // next free: 1502 (1520-1522 are DeadLetterWriter's)
    }
}
