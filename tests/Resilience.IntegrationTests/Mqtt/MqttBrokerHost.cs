using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Resilience.Ingest.Mqtt.Broker;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>Our broker in a generic host on a free port, configured like an operator would (configuration keys).</summary>
internal sealed class MqttBrokerHost : IAsyncDisposable
{
    private readonly IHost _host;

    private MqttBrokerHost(IHost host, int port, CollectingLoggerProvider logs)
    {
        _host = host;
        Logs = logs;
        Port = port;
        Broker = host.Services.GetRequiredService<MqttBroker>();
    }

    public int Port { get; }

    public string PortText => Port.ToString(CultureInfo.InvariantCulture);

    public MqttBroker Broker { get; }

    public CollectingLoggerProvider Logs { get; }

    /// <summary>
    /// Starts the broker. <paramref name="secureDefaults"/> false (protocol tests) adds <see cref="BrokerTestAccess.OpenLoopback"/>
    /// and the former 1 MiB packet limit; true keeps the shipped defaults (security tests).
    /// </summary>
    public static async Task<MqttBrokerHost> StartAsync(IDictionary<string, string?>? settings = null, bool secureDefaults = false, Action<IServiceCollection>? services = null)
    {
        int port = FreePort.Next();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var config = new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:Port"] = port.ToString(CultureInfo.InvariantCulture),
        };
        if (!secureDefaults)
        {
            foreach ((string key, string value) in BrokerTestAccess.OpenLoopback)
            {
                config[key] = value;
            }

            config["Resilience:Mqtt:Broker:MaxPacketSize"] = "1048576";
        }

        if (settings is not null)
        {
            foreach (KeyValuePair<string, string?> entry in settings)
            {
                config[entry.Key] = entry.Value;
            }
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        var logs = new CollectingLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        services?.Invoke(builder.Services);
        builder.AddMqttBroker();
        IHost host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new MqttBrokerHost(host, port, logs);
    }

    /// <summary>Polls until a subscription matches <paramref name="topic"/> (a client's SUBSCRIBE was processed).</summary>
    public Task WaitForSubscriberAsync(string topic) => Poll.UntilAsync(() => Broker.HasSubscribers(topic), $"a subscriber for {topic}");

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(cts.Token);
        _host.Dispose();
    }
}
