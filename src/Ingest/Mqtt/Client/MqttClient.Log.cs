using Microsoft.Extensions.Logging;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Client;

public sealed partial class MqttClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "MQTT client {ClientId} connected to {Host}:{Port} (protocol {Version}, session present {SessionPresent}).")]
        public static partial void Connected(ILogger logger, string clientId, string host, int port, MqttProtocolVersion version, bool sessionPresent);

        [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "MQTT client {ClientId} lost its connection.")]
        public static partial void ConnectionLost(ILogger logger, Exception? exception, string clientId);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "MQTT client {ClientId} reconnects in {Delay} (attempt {Attempt}).")]
        public static partial void Reconnecting(ILogger logger, string clientId, int attempt, TimeSpan delay);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "MQTT client {ClientId} reconnect attempt {Attempt} failed.")]
        public static partial void ReconnectFailed(ILogger logger, Exception exception, string clientId, int attempt);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "MQTT client {ClientId} got no PINGRESP within {KeepAlive}; dropping the connection.")]
        public static partial void PingTimeout(ILogger logger, string clientId, TimeSpan keepAlive);

        [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "MQTT client {ClientId}: the broker refused the subscription to {Filter} (code {Code}).")]
        public static partial void SubscriptionRefused(ILogger logger, string clientId, string filter, byte code);

        [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "MQTT client {ClientId}: the broker disconnected it with reason {ReasonCode} ({ReasonString}).")]
        public static partial void BrokerDisconnected(ILogger logger, string clientId, MqttReasonCode reasonCode, string? reasonString);

        [LoggerMessage(EventId = 1207, Level = LogLevel.Error, Message = "MQTT client {ClientId}: the message handler failed; the message stays unacknowledged and the connection is closed.")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string clientId);

        [LoggerMessage(EventId = 1208, Level = LogLevel.Information, Message = "MQTT client {ClientId}: no session on the broker, subscribing again to {Count} filter(s).")]
        public static partial void Resubscribing(ILogger logger, string clientId, int count);

        [LoggerMessage(EventId = 1209, Level = LogLevel.Information, Message = "MQTT client {ClientId} resent {Count} unacknowledged packet(s) after reconnecting.")]
        public static partial void Resent(ILogger logger, string clientId, int count);

        [LoggerMessage(EventId = 1210, Level = LogLevel.Debug, Message = "MQTT client {ClientId}: {PacketType} for unknown packet id {PacketId}.")]
        public static partial void UnknownAcknowledgement(ILogger logger, string clientId, MqttPacketType packetType, ushort packetId);

        [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "MQTT client {ClientId} stopped.")]
        public static partial void Stopped(ILogger logger, string clientId);

        // next free: 1212 (1250–1269: ExternalBrokerConsumer)
    }
}
