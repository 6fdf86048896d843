using System.Diagnostics;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>Poll-until-with-deadline (no fixed sleeps).</summary>
internal static class Poll
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > (deadline ?? Deadline))
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
