using Portal.Agent.Docker;

namespace Portal.Agent.Tests.Reconciler;

public sealed class PullErrorsTests
{
    [Fact]
    public void Describe_DnsFailure_SaysTheRegistryIsUnreachableAndKeepsTheRawError()
    {
        const string raw = "Get \"https://ghcr.io/v2/\": dial tcp: lookup ghcr.io on 10.0.0.53:53: no such host";

        var text = PullErrors.Describe("ghcr.io/x/y:1", raw);

        Assert.Equal($"The registry ghcr.io could not be reached from the device: check its network or use a private registry. Docker said: {raw}", text);
    }

    [Fact]
    public void Describe_ManifestUnknown_SaysTheImageWasNotFound() =>
        Assert.StartsWith("The image registry.example.com:5000/app:9 was not found in the registry registry.example.com:5000: check its name and tag.",
            PullErrors.Describe("registry.example.com:5000/app:9", "manifest for registry.example.com:5000/app:9 not found: manifest unknown"), StringComparison.Ordinal);

    [Fact]
    public void Describe_Unauthorized_SaysAccessWasDenied() =>
        Assert.StartsWith("The registry ghcr.io denied access to ghcr.io/org/private:1",
            PullErrors.Describe("ghcr.io/org/private:1", "Head \"https://ghcr.io/v2/org/private/manifests/1\": unauthorized"), StringComparison.Ordinal);

    [Fact]
    public void Describe_UnknownError_NamesImageAndRegistryAndKeepsTheRawError() =>
        Assert.Equal("The image nginx:1 could not be pulled from the registry docker.io. Docker said: something odd",
            PullErrors.Describe("nginx:1", "something odd"));

    [Theory]
    [InlineData("nginx", "docker.io")]
    [InlineData("library/nginx:1", "docker.io")]
    [InlineData("ghcr.io/org/app:1", "ghcr.io")]
    [InlineData("localhost/app", "localhost")]
    [InlineData("127.0.0.1:5000/app:1", "127.0.0.1:5000")]
    public void Registry_ImageReference_IsWhereDockerPullsFrom(string image, string registry) =>
        Assert.Equal(registry, PullErrors.Registry(image));
}
