using Resilience.Alerts.Lifecycle;

namespace Resilience.Silo.Alerting;

/// <summary>
/// Builds the subject of a grain's alerts (name, place, alarm levels) from the registry when a transition needs it,
/// so an activation holds no subject of its own between transitions (transitions are rare; grains are many).
/// </summary>
internal interface IAlertSubjectSource
{
    /// <summary>The subject as it stands now.</summary>
    AlertSubject CreateAlertSubject();
}
