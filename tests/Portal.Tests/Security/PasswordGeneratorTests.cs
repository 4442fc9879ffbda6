using Portal.Security;

namespace Portal.Tests.Security;

public sealed class PasswordGeneratorTests
{
    [Fact]
    public void Generate_Always_HasEveryCharacterClassAndTheLength()
    {
        for (var i = 0; i < 200; i++)
        {
            var password = PasswordGenerator.Generate(12);

            Assert.Equal(12, password.Length);
            Assert.Contains(password, char.IsUpper);
            Assert.Contains(password, char.IsLower);
            Assert.Contains(password, char.IsDigit);
            Assert.Contains(password, c => !char.IsLetterOrDigit(c));
        }
    }

    [Fact]
    public void Generate_TwoCalls_Differ() => Assert.NotEqual(PasswordGenerator.Generate(), PasswordGenerator.Generate());
}
