using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// Consumes an external broker: one <see cref="MqttClient"/> subscribed with <c>$share/{group}/{filter}</c>
/// to every configured filter, handing each message to the registered <see cref="IMqttMessageHandler"/> and
/// acknowledging it only when the handler's task completes. Retries the first connection with backoff; after
/// that the client reconnects and resubscribes by itself.
/// </summary>
internal sealed partial class ExternalBrokerConsumer(
    IOptions<ExternalMqttOptions> options,
    IMqttMessageHandler handler,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ExternalBrokerConsumer>();
    private MqttClient? _client;

    /// <summary>The client while running (tests and health checks).</summary>
    internal MqttClient? Client => Volatile.Read(ref _client);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ExternalMqttOptions o = options.Value;
        MqttClientOptions clientOptions = o.ToClientOptions();
        var subscriptions = new List<MqttSubscription>();
        foreach (string topic in o.EffectiveTopics)
        {
            subscriptions.Add(new MqttSubscription { Filter = $"$share/{o.SharedGroup}/{topic}", Qos = (MqttQualityOfService)o.Qos });
        }

        var backoff = new MqttReconnectBackoff(clientOptions.ReconnectInitialDelay, clientOptions.ReconnectMaxDelay);
        Log.Starting(_logger, o.Host, o.Port, o.SharedGroup, clientOptions.ClientId);
        for (int attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            var client = new MqttClient(clientOptions, handler, timeProvider, loggerFactory.CreateLogger<MqttClient>());
            try
            {
                await client.ConnectAsync(stoppingToken);
                await client.SubscribeAsync(subscriptions, stoppingToken);
                Volatile.Write(ref _client, client);
                Log.Subscribed(_logger, subscriptions.Count, o.SharedGroup);
                await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                await client.DisposeAsync();
                Volatile.Write(ref _client, null);
                TimeSpan delay = backoff.NextDelay(Math.Min(attempt, 16));
                Log.ConnectFailed(_logger, ex, o.Host, o.Port, delay);
                try
                {
                    await Task.Delay(delay, timeProvider, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }
            finally
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    await client.DisposeAsync();
                    Volatile.Write(ref _client, null);
                }
            }
        }

        Log.Stopped(_logger);
    }
}
