namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// Reconnect delays: exponential from <see cref="Initial"/> doubling to <see cref="Maximum"/>, with "equal
/// jitter" (half the step fixed, half random) so that many clients dropped by one broker restart do not
/// come back in lockstep, while none retries sooner than half its step.
/// </summary>
internal sealed class MqttReconnectBackoff
{
    private readonly Random _random;

    /// <summary>Creates a schedule; pass a seeded <see cref="Random"/> for a reproducible one.</summary>
    public MqttReconnectBackoff(TimeSpan initial, TimeSpan maximum, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, initial);
        Initial = initial;
        Maximum = maximum;
        _random = random ?? Random.Shared;
    }

    /// <summary>The first step.</summary>
    public TimeSpan Initial { get; }

    /// <summary>The largest step.</summary>
    public TimeSpan Maximum { get; }

    /// <summary>The step before jitter for attempt <paramref name="attempt"/> (0-based): min(Maximum, Initial·2^attempt).</summary>
    public TimeSpan Step(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        double ticks = Initial.Ticks * Math.Pow(2, Math.Min(attempt, 62));
        return ticks >= Maximum.Ticks ? Maximum : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay before attempt <paramref name="attempt"/>: uniformly in [Step/2, Step].</summary>
    public TimeSpan NextDelay(int attempt)
    {
        long step = Step(attempt).Ticks;
        long half = step / 2;
        return TimeSpan.FromTicks(half + (long)(_random.NextDouble() * (step - half)));
    }
}
