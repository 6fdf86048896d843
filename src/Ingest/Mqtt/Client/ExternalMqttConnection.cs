using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// One MQTTnet client kept connected to the external broker: connects, runs <c>onConnected</c> (the consumer
/// subscribes there, after every reconnect), waits until the connection is lost, then reconnects after an
/// exponential delay with jitter (<see cref="MqttReconnectBackoff"/>). MQTTnet 5 has no managed client, so this
/// loop is ours; the protocol is MQTTnet's.
/// </summary>
internal sealed partial class ExternalMqttConnection : IDisposable
{
    private readonly ExternalMqttOptions _options;
    private readonly string _clientId;
    private readonly bool _persistentSession;
    private readonly Func<IMqttClient, bool, CancellationToken, Task>? _onConnected;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MqttReconnectBackoff _backoff;
    private TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _connects;

    /// <summary>Creates the connection; nothing happens until <see cref="RunAsync"/>.</summary>
    public ExternalMqttConnection(
        ExternalMqttOptions options,
        string clientId,
        bool persistentSession,
        Func<IMqttClient, bool, CancellationToken, Task>? onConnected,
        TimeProvider time,
        ILogger logger)
    {
        _options = options;
        _clientId = clientId;
        _persistentSession = persistentSession;
        _onConnected = onConnected;
        _time = time;
        _logger = logger;
        _backoff = new MqttReconnectBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay);
        Client = new MqttClientFactory().CreateMqttClient();
        Client.DisconnectedAsync += OnDisconnectedAsync;
    }

    /// <summary>The MQTTnet client (attach message handlers before <see cref="RunAsync"/>).</summary>
    public IMqttClient Client { get; }

    /// <summary>Successful connections so far (1 after the first, 2 after the first reconnect, …).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Builds MQTTnet's options from ours.</summary>
    internal MqttClientOptions BuildClientOptions()
    {
        ExternalMqttOptions o = _options;
        MqttClientOptionsBuilder builder = new MqttClientFactory().CreateClientOptionsBuilder()
            .WithTcpServer(o.Host, o.Port)
            .WithClientId(_clientId)
            .WithProtocolVersion(o.ProtocolVersion == 5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(o.KeepAliveSeconds))
            .WithTimeout(o.Timeout);
        if (o.KeepAliveSeconds == 0)
        {
            builder = builder.WithNoKeepAlive();
        }

        // Persistent session: the broker queues QoS 1/2 messages while the silo is away and redelivers the
        // unacknowledged ones after a reconnect ([MQTT-3.1.2-4], 5.0 §3.1.2.11.2).
        bool persistent = _persistentSession && o.SessionExpirySeconds > 0;
        if (o.ProtocolVersion == 5)
        {
            builder = builder.WithCleanStart(!persistent)
                .WithSessionExpiryInterval(persistent ? (uint)o.SessionExpirySeconds : 0)
                .WithReceiveMaximum((ushort)o.ReceiveMaximum);
        }
        else
        {
            builder = builder.WithCleanSession(!persistent);
        }

        if (!string.IsNullOrEmpty(o.Username))
        {
            builder = builder.WithCredentials(o.Username, o.Password ?? string.Empty);
        }

        if (o.Tls)
        {
            string serverName = o.TlsServerName.Length > 0 ? o.TlsServerName : o.Host;
            X509Certificate2Collection? trusted = o.TlsCaFile.Length > 0 ? LoadPem(o.TlsCaFile) : null;
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(serverName);
                if (trusted is not null)
                {
                    tls.WithCertificateValidationHandler(e => ValidateAgainst(trusted, e.Certificate, e.SslPolicyErrors));
                }
            });
        }

        return builder.Build();
    }

    /// <summary>Connects and keeps the connection until <paramref name="stoppingToken"/> fires, then disconnects cleanly.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        MqttClientOptions clientOptions = BuildClientOptions();
        int attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TaskCompletionSource lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _lost, lost);
            try
            {
                MqttClientConnectResult result = await Client.ConnectAsync(clientOptions, stoppingToken);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"The broker refused the connection: {result.ResultCode} {result.ReasonString}");
                }

                if (_onConnected is not null)
                {
                    await _onConnected(Client, result.IsSessionPresent, stoppingToken);
                }

                Interlocked.Increment(ref _connects);
                Log.Connected(_logger, _options.Host, _options.Port, _clientId, result.IsSessionPresent);
                attempt = 0;
                await lost.Task.WaitAsync(stoppingToken);
                Log.ConnectionLost(_logger, _options.Host, _options.Port, _clientId);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.ConnectFailed(_logger, ex, _options.Host, _options.Port, _clientId);
                await DropAsync();
            }

            TimeSpan delay = _backoff.NextDelay(Math.Min(attempt++, 16));
            Log.Reconnecting(_logger, _clientId, delay);
            try
            {
                await Task.Delay(delay, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await DisconnectAsync();
    }

    /// <summary>Drops the connection (a handler failed): the broker keeps the session and redelivers what was not acknowledged.</summary>
    public Task DropAsync() => Client.IsConnected
        ? IgnoreFailureAsync(Client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.UnspecifiedError).Build()))
        : Task.CompletedTask;

    public void Dispose()
    {
        Client.DisconnectedAsync -= OnDisconnectedAsync;
        Client.Dispose();
    }

    internal static X509Certificate2Collection LoadPem(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        if (collection.Count == 0)
        {
            throw new InvalidOperationException($"No certificate in '{path}'.");
        }

        return collection;
    }

    /// <summary>
    /// Accepts the server certificate when it chains to one of <paramref name="trusted"/> alone (custom root trust)
    /// and its name matches; any other policy error (name mismatch, no certificate) still fails.
    /// </summary>
    internal static bool ValidateAgainst(X509Certificate2Collection trusted, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private async Task DisconnectAsync()
    {
        if (Client.IsConnected)
        {
            // A normal DISCONNECT keeps the session (its expiry is the CONNECT's) and suppresses the will.
            using var timeout = new CancellationTokenSource(_options.Timeout);
            await IgnoreFailureAsync(Client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token));
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        Volatile.Read(ref _lost).TrySetResult();
        return Task.CompletedTask;
    }

    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }
}
