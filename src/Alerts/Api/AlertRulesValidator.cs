using Microsoft.Extensions.Options;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Api;

/// <summary>Cross-field validation: every configured rule must compile (ids, thresholds, windows, clear ≤ set).</summary>
internal sealed class AlertRulesValidator : IValidateOptions<AlertsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AlertsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (int i = 0; i < options.Rules.Count; i++)
        {
            AlertRuleOptions rule = options.Rules[i];
            if (string.IsNullOrWhiteSpace(rule.Id))
            {
                failures.Add($"{AlertsOptions.SectionName}:Rules:{i}:Id is required.");
                continue;
            }

            if (rule.Sensor is null && rule.Zone is null && rule.SensorKind is null)
            {
                failures.Add($"{AlertsOptions.SectionName}:Rules:{i} ('{rule.Id}') needs a scope: Sensor, Zone or SensorKind.");
            }

            try
            {
                AlertRuleCatalog.Compile(rule, new SensorRuleContext("validation", rule.SensorKind ?? "water_level", rule.Zone, new AlarmLevels(1, 2, 3)));
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{AlertsOptions.SectionName}:Rules:{i} ('{rule.Id}'): {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
