using Resilience.Silo.Web;

namespace Resilience.Silo.Tests.Web;

public sealed class OperatorPasswordHasherTests
{
    // Made by the Python one-liner documented in dashboards/README.md (hashlib.pbkdf2_hmac, salt 00..0f).
    private const string PythonHash = "pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODw==$dC9CvzgWzZEQdgj8n64r+4zcArr6afjzoYHA93cDk9U=";

    [Fact]
    public void Hash_ThenVerify_AcceptsOnlyTheSamePassword()
    {
        string hash = OperatorPasswordHasher.Hash("đúng mật khẩu", OperatorPasswordHasher.MinimumIterations);

        OperatorPasswordHasher.Verify("đúng mật khẩu", hash).Should().BeTrue();
        OperatorPasswordHasher.Verify("đúng mật khẩu ", hash).Should().BeFalse();
        OperatorPasswordHasher.Verify(string.Empty, hash).Should().BeFalse();
    }

    [Fact]
    public void Hash_Default_HasTheDocumentedFormatAndAFreshSalt()
    {
        string a = OperatorPasswordHasher.Hash("x");
        string b = OperatorPasswordHasher.Hash("x");

        string[] parts = a.Split('$');
        parts.Should().HaveCount(4);
        parts[0].Should().Be("pbkdf2-sha256");
        parts[1].Should().Be("600000");
        Convert.FromBase64String(parts[2]).Should().HaveCount(16);
        Convert.FromBase64String(parts[3]).Should().HaveCount(32);
        a.Should().NotBe(b);
    }

    [Fact]
    public void Verify_HashFromThePythonOneLiner_Matches()
    {
        OperatorPasswordHasher.Verify("Mật khẩu 1", PythonHash).Should().BeTrue();
        OperatorPasswordHasher.Verify("Mật khẩu 2", PythonHash).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-password")]
    [InlineData("pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw==$dC9CvzgWzZEQdgj8n64r+4zcArr6afjzoYHA93cDk9U=")]
    [InlineData("pbkdf2-sha1$100000$AAECAwQFBgcICQoLDA0ODw==$dC9CvzgWzZEQdgj8n64r+4zcArr6afjzoYHA93cDk9U=")]
    [InlineData("pbkdf2-sha256$100000$not base64$dC9CvzgWzZEQdgj8n64r+4zcArr6afjzoYHA93cDk9U=")]
    [InlineData("pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODw==")]
    public void Verify_MalformedOrWeakHash_IsFalseAndNotWellFormed(string hash)
    {
        OperatorPasswordHasher.IsWellFormed(hash).Should().BeFalse();
        OperatorPasswordHasher.Verify("Mật khẩu 1", hash).Should().BeFalse();
    }

    [Fact]
    public void Hash_TooFewIterations_Throws()
    {
        Action act = () => OperatorPasswordHasher.Hash("x", 99_999);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void RunHashPasswordCommand_PasswordOnInput_PrintsAVerifiableHash()
    {
        using var input = new StringReader("bí mật\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = OperatorPasswordHasher.RunHashPasswordCommand(input, output, error);

        code.Should().Be(0);
        OperatorPasswordHasher.Verify("bí mật", output.ToString().Trim()).Should().BeTrue();
    }

    [Fact]
    public void RunHashPasswordCommand_EmptyInput_FailsWithUsage()
    {
        using var input = new StringReader(string.Empty);
        using var output = new StringWriter();
        using var error = new StringWriter();

        OperatorPasswordHasher.RunHashPasswordCommand(input, output, error).Should().Be(2);
        error.ToString().Should().Contain("hash-password");
    }
}
