namespace Resilience.Alerts.Evaluation;

/// <summary>The k-of-n zone level: the zone grain feeds its result to the zone rule as the reading value.</summary>
internal static class ZoneAlarm
{
    /// <summary>
    /// Returns the highest alarm level (0–3) that at least <paramref name="k"/> of the zone's gauges have
    /// reached. <paramref name="gaugeLevels"/> holds each gauge's level 0–3.
    /// </summary>
    public static int Level(ReadOnlySpan<byte> gaugeLevels, int k)
    {
        k = Math.Max(1, k);
        int atLeast1 = 0;
        int atLeast2 = 0;
        int atLeast3 = 0;
        foreach (byte level in gaugeLevels)
        {
            if (level >= 1)
            {
                atLeast1++;
            }

            if (level >= 2)
            {
                atLeast2++;
            }

            if (level >= 3)
            {
                atLeast3++;
            }
        }

        return atLeast3 >= k ? 3 : atLeast2 >= k ? 2 : atLeast1 >= k ? 1 : 0;
    }
}
