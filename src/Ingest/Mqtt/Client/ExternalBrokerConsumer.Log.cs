using Microsoft.Extensions.Logging;

namespace Resilience.Ingest.Mqtt.Client;

internal sealed partial class ExternalBrokerConsumer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1250, Level = LogLevel.Information, Message = "Consuming the external MQTT broker {Host}:{Port} in shared group {Group} as {ClientId}.")]
        public static partial void Starting(ILogger logger, string host, int port, string group, string clientId);

        [LoggerMessage(EventId = 1251, Level = LogLevel.Warning, Message = "Could not connect or subscribe to the external MQTT broker {Host}:{Port}; retrying in {Delay}.")]
        public static partial void ConnectFailed(ILogger logger, Exception exception, string host, int port, TimeSpan delay);

        [LoggerMessage(EventId = 1252, Level = LogLevel.Information, Message = "Subscribed to {Count} filter(s) in shared group {Group}.")]
        public static partial void Subscribed(ILogger logger, int count, string group);

        [LoggerMessage(EventId = 1253, Level = LogLevel.Information, Message = "External MQTT consumer stopped.")]
        public static partial void Stopped(ILogger logger);

        // next free: 1254
    }
}
