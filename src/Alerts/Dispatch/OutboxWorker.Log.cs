using Microsoft.Extensions.Logging;

namespace Resilience.Alerts.Dispatch;

internal abstract partial class OutboxWorker
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Delivered {Key} to {Channel} (attempt {Attempts}).")]
        public static partial void Delivered(ILogger logger, string channel, string key, int attempts);

        [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Delivery of {Key} to {Channel} failed (attempt {Attempts}); retry in {Delay}: {Error}")]
        public static partial void Retry(ILogger logger, string channel, string key, int attempts, TimeSpan delay, string error);

        [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Dead letter: {Key} to {Channel} after {Attempts} attempts: {Error}")]
        public static partial void DeadLetter(ILogger logger, string channel, string key, int attempts, string error);

        [LoggerMessage(EventId = 2013, Level = LogLevel.Error, Message = "Outbox pass failed; the next tick retries.")]
        public static partial void PassFailed(ILogger logger, Exception exception);

        // next free: 2014 (see AlertService.Log.cs for the area's ranges)
    }
}
