using Microsoft.Extensions.Logging;

namespace Resilience.Ingest.Mqtt.Client;

internal sealed partial class ExternalMqttConnection
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1260, Level = LogLevel.Information, Message = "Connected to the external MQTT broker {Host}:{Port} as {ClientId} (session present: {SessionPresent}).")]
        public static partial void Connected(ILogger logger, string host, int port, string clientId, bool sessionPresent);

        [LoggerMessage(EventId = 1261, Level = LogLevel.Warning, Message = "Lost the connection to the external MQTT broker {Host}:{Port} ({ClientId}).")]
        public static partial void ConnectionLost(ILogger logger, string host, int port, string clientId);

        [LoggerMessage(EventId = 1262, Level = LogLevel.Warning, Message = "Could not connect or subscribe to the external MQTT broker {Host}:{Port} as {ClientId}.")]
        public static partial void ConnectFailed(ILogger logger, Exception exception, string host, int port, string clientId);

        [LoggerMessage(EventId = 1263, Level = LogLevel.Information, Message = "{ClientId} reconnects in {Delay}.")]
        public static partial void Reconnecting(ILogger logger, string clientId, TimeSpan delay);

        // next free: 1264 (1250–1259: ExternalBrokerConsumer, 1270–1279: ExternalMqttPublisher)
    }
}
