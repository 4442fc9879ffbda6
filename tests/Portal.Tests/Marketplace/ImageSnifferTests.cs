using Portal.Features.Marketplace;

namespace Portal.Tests.Marketplace;

public sealed class ImageSnifferTests
{
    [Theory]
    [InlineData("89504E470D0A1A0A0000000D49484452", "image/png")]
    [InlineData("FFD8FFE000104A464946", "image/jpeg")]
    [InlineData("474946383961010001", "image/gif")]
    [InlineData("474946383761010001", "image/gif")]
    [InlineData("524946462400000057454250565038", "image/webp")]
    [InlineData("3C73766720786D6C6E733D", null)] // <svg xmlns=
    [InlineData("3C68746D6C3E", null)] // <html>
    [InlineData("89504E47", null)] // PNG cut after four bytes
    [InlineData("52494646240000005741564566", null)] // RIFF....WAVE: audio, not WebP
    [InlineData("", null)]
    public void ContentType_IsJudgedByTheFirstBytes(string hex, string? expected)
    {
        Assert.Equal(expected, ImageSniffer.ContentType(Convert.FromHexString(hex)));
    }
}
