using System.Net;
using Microsoft.Extensions.Logging;

namespace Resilience.Ingest.Mqtt.Broker;

internal sealed partial class MqttBroker
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "MQTT broker listening on {EndPoint} (TLS: {Tls}).")]
        public static partial void Listening(ILogger logger, IPEndPoint endPoint, bool tls);

        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "MQTT broker stopped.")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Accepting an MQTT connection failed.")]
        public static partial void AcceptFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "MQTT connection refused: the limit of {MaxConnections} connections is reached.")]
        public static partial void TooManyConnections(ILogger logger, int maxConnections);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "In-process MQTT handler for '{Filter}' failed; the message is dropped for it.")]
        public static partial void HandlerFailed(ILogger logger, string filter, Exception exception);

        [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "MQTT client '{ClientId}' took over an existing session's connection.")]
        public static partial void SessionTakenOver(ILogger logger, string clientId);

        [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "MQTT client '{ClientId}' missed its keep-alive of {KeepAlive} s; closing.")]
        public static partial void KeepAliveExpired(ILogger logger, string clientId, int keepAlive);

        [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Publishing will message on '{Topic}'.")]
        public static partial void PublishingWill(ILogger logger, string topic);

        [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "MQTT password file {Path} loaded: {Count} users.")]
        public static partial void PasswordFileLoaded(ILogger logger, string path, int count);

        // next free: 1009 (1020–1049: MqttBrokerConnection)
    }
}
