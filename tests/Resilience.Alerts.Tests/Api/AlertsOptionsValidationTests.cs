using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Tests.Api;

public sealed class AlertsOptionsValidationTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new AlertsOptions();

        new AlertsOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
        new AlertRulesValidator().Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_BadWebhookUrlAndSender_NameTheFields()
    {
        var options = new AlertsOptions { Webhooks = [new WebhookOptions { Url = "not a url" }] };
        options.Cap.Sender = "has space, and comma";

        ValidateOptionsResult result = new AlertsOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Url").And.Contain("Sender");
    }

    [Fact]
    public void Validate_RuleWithoutScopeOrWithClearAboveSet_Fails()
    {
        var options = new AlertsOptions
        {
            Rules =
            [
                new AlertRuleOptions { Id = "x", Kind = RuleKind.Level, Thresholds = [new() { Value = 1 }] },
                new AlertRuleOptions { Id = "y", Sensor = "s1", Kind = RuleKind.AirQuality, Thresholds = [new() { Value = 100, Clear = 120 }] },
                new AlertRuleOptions { Id = "", SensorKind = "rain" },
            ],
        };

        ValidateOptionsResult result = new AlertRulesValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().HaveCount(3);
        result.FailureMessage.Should().Contain("Rules:0").And.Contain("Rules:1").And.Contain("Rules:2:Id");
    }
}
