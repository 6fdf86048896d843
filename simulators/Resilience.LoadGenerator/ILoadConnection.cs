namespace Resilience.LoadGenerator;

/// <summary>One publishing connection of the load generator (raw or MQTTnet).</summary>
internal interface ILoadConnection
{
    /// <summary>Messages written so far.</summary>
    long Sent { get; }

    /// <summary>QoS 1 acknowledgements received so far.</summary>
    long Acked { get; }

    /// <summary>From CONNACK to the last write (QoS 0) or the last acknowledgement (QoS 1).</summary>
    TimeSpan ActiveTime { get; }

    /// <summary>Sends until <paramref name="duration"/> passes or <paramref name="maxMessages"/> are sent; <paramref name="rate"/> ≤ 0 = unpaced.</summary>
    Task RunAsync(LoadTarget target, string clientId, double rate, TimeSpan duration, long maxMessages, CancellationToken cancellationToken);
}
