using Microsoft.Extensions.Options;
using Resilience.Silo.Web;

namespace Resilience.Silo.Tests.Web;

public sealed class WebPagesOptionsValidatorTests
{
    private const string GoodHash = "pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODw==$dC9CvzgWzZEQdgj8n64r+4zcArr6afjzoYHA93cDk9U=";

    [Fact]
    public void Validate_WellFormedAccounts_Succeeds()
    {
        var options = new WebPagesOptions();
        options.Operators.Add(new OperatorAccount { Username = "trucban", PasswordHash = GoodHash });

        new WebPagesOptionsValidator().Validate(null, options).Should().Be(ValidateOptionsResult.Success);
    }

    [Fact]
    public void Validate_PlainPasswordDuplicateAndBadName_NamesEachKey()
    {
        var options = new WebPagesOptions();
        options.Operators.Add(new OperatorAccount { Username = "a", PasswordHash = "secret" });
        options.Operators.Add(new OperatorAccount { Username = "b", PasswordHash = GoodHash });
        options.Operators.Add(new OperatorAccount { Username = "B", PasswordHash = GoodHash });
        options.Operators.Add(new OperatorAccount { Username = "bad name", PasswordHash = GoodHash });

        ValidateOptionsResult result = new WebPagesOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().Contain(f => f.StartsWith("Resilience:Web:Operators:0:PasswordHash", StringComparison.Ordinal));
        result.Failures.Should().Contain(f => f.StartsWith("Resilience:Web:Operators:2:Username", StringComparison.Ordinal));
        result.Failures.Should().Contain(f => f.StartsWith("Resilience:Web:Operators:3", StringComparison.Ordinal));
    }
}
