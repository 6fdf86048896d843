namespace Resilience.Alerts.Rules;

/// <summary>
/// A water-level gauge's flood alarm levels I–III (Quyết định 05/2020/QĐ-TTg; DOMAIN.md §3), in m above the
/// station's own datum. A level is null where no source gives it (DOMAIN.md §3.2 "?"), never filled in by guesswork,
/// and an unknown level is never reached. The one type for this fact: the registry loads it, the alert rules, the
/// flood-level trackers and the nowcast read it, alerts carry it (<c>GaugeAlarmLevels</c>) and the API shapes it.
/// </summary>
/// <param name="I">Báo động I, null when unknown.</param>
/// <param name="II">Báo động II, null when unknown.</param>
/// <param name="III">Báo động III, null when unknown.</param>
/// <param name="Source">Where the values come from (decision, bulletin); empty only for levels built in code (tests, rule validation).</param>
/// <param name="Verified">True only when checked against Quyết định 05/2020/QĐ-TTg Phụ lục I.</param>
internal sealed record AlarmLevels(double? I, double? II, double? III, string Source = "", bool Verified = false)
{
    /// <summary>The lowest known level (where alarm starts), null when none is known.</summary>
    public double? Lowest => I ?? II ?? III;

    /// <summary>The alarm level 0–3 of <paramref name="levelM"/> (0 = below every known level … 3 = at or above III).</summary>
    public int Classify(double levelM) =>
        III is { } iii && levelM >= iii ? 3
        : II is { } ii && levelM >= ii ? 2
        : I is { } i && levelM >= i ? 1
        : 0;

    /// <summary>The threshold of alarm <paramref name="level"/> (1–3), null when unknown or out of range.</summary>
    public double? Threshold(int level) => level switch
    {
        1 => I,
        2 => II,
        3 => III,
        _ => null,
    };
}
