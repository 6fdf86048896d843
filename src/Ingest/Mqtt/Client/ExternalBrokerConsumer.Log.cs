using Microsoft.Extensions.Logging;

namespace Resilience.Ingest.Mqtt.Client;

internal sealed partial class ExternalBrokerConsumer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1250, Level = LogLevel.Information, Message = "Consuming the external MQTT broker {Host}:{Port} in shared group {Group} as {ClientId}.")]
        public static partial void Starting(ILogger logger, string host, int port, string group, string clientId);

        [LoggerMessage(EventId = 1251, Level = LogLevel.Error, Message = "Handling a message on {Topic} failed; it is not acknowledged, and the connection is dropped so that the broker redelivers it.")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string topic);

        [LoggerMessage(EventId = 1252, Level = LogLevel.Information, Message = "Subscribed to {Count} filter(s) in shared group {Group} (session present: {SessionPresent}).")]
        public static partial void Subscribed(ILogger logger, int count, string group, bool sessionPresent);

        [LoggerMessage(EventId = 1253, Level = LogLevel.Information, Message = "External MQTT consumer stopped after {Handled} message(s), {Failed} failed.")]
        public static partial void Stopped(ILogger logger, long handled, long failed);

        [LoggerMessage(EventId = 1254, Level = LogLevel.Debug, Message = "Could not acknowledge a handled message ({Reason}); the broker will redeliver it.")]
        public static partial void AcknowledgeFailed(ILogger logger, string reason);

        // next free: 1255 (1260–1269: ExternalMqttConnection)
    }
}
