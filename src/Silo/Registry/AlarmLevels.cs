namespace Resilience.Silo.Registry;

/// <summary>A gauge's flood alarm levels I–III (Quyết định 05/2020/QĐ-TTg), in m above the station's datum.</summary>
internal sealed record AlarmLevels(double I, double II, double III, string Source, bool Verified)
{
    /// <summary>The alarm level (0 = below I … 3 = at or above III) of <paramref name="levelM"/>.</summary>
    public int Classify(double levelM) => levelM >= III ? 3 : levelM >= II ? 2 : levelM >= I ? 1 : 0;

    /// <summary>The threshold of alarm <paramref name="level"/> (1–3).</summary>
    public double Threshold(int level) => level switch
    {
        1 => I,
        2 => II,
        _ => III,
    };
}
