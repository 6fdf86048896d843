namespace Resilience.Silo.Registry;

/// <summary>
/// A gauge's flood alarm levels I–III (Quyết định 05/2020/QĐ-TTg), in m above the station's datum; a level is
/// null where no source gives it (DOMAIN.md §3.2 "?"), never filled in by guesswork.
/// </summary>
internal sealed record AlarmLevels(double? I, double? II, double? III, string Source, bool Verified)
{
    /// <summary>The alarm level (0 = below every known level … 3 = at or above III) of <paramref name="levelM"/>.</summary>
    public int Classify(double levelM) =>
        III is { } iii && levelM >= iii ? 3 : II is { } ii && levelM >= ii ? 2 : I is { } i && levelM >= i ? 1 : 0;

    /// <summary>The threshold of alarm <paramref name="level"/> (1–3), null when unknown.</summary>
    public double? Threshold(int level) => level switch
    {
        1 => I,
        2 => II,
        _ => III,
    };

    /// <summary>The same levels as the alert rules and the flood-level trackers take them.</summary>
    public Resilience.Alerts.Rules.AlarmLevels ToRuleLevels() => new(I, II, III);

    /// <summary>The lowest known level (where alarm starts), null when none is known.</summary>
    public double? Lowest => I ?? II ?? III;
}
