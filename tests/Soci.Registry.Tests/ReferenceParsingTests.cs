using Soci.Actors.Registry;

namespace Soci.Registry.Tests;

public sealed class ReferenceParsingTests
{
    [Theory]
    [InlineData("nginx", "docker.io", "library/nginx", "latest")]
    [InlineData("user/app:1.0", "docker.io", "user/app", "1.0")]
    [InlineData("docker.io/nginx:stable", "docker.io", "library/nginx", "stable")]
    [InlineData("index.docker.io/library/busybox", "docker.io", "library/busybox", "latest")]
    [InlineData("localhost/app", "localhost", "app", "latest")]
    [InlineData("127.0.0.1:5000/a/b/c:t", "127.0.0.1:5000", "a/b/c", "t")]
    [InlineData("registry.example:443/team/app:v2", "registry.example:443", "team/app", "v2")]
    public void References_are_normalized_with_docker_rules(string text, string domain, string repository, string tag)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal((domain, repository, tag), (reference.Domain, reference.Repository, reference.Tag));
    }

    [Fact]
    public void A_digest_reference_has_no_default_tag_and_docker_hub_is_served_by_registry_1()
    {
        var digest = "sha256:" + new string('a', 64);

        var reference = ImageReference.Parse("busybox@" + digest);

        Assert.Null(reference.Tag);
        Assert.Equal(digest, reference.ManifestReference);
        Assert.Equal("registry-1.docker.io", reference.RegistryHost);
    }

    [Theory]
    [InlineData("")]
    [InlineData("UPPER/case")]
    [InlineData("app@sha256:short")]
    [InlineData("app:bad tag")]
    public void Malformed_references_are_rejected_with_a_reason(string text)
    {
        var error = Assert.Throws<FormatException>(() => ImageReference.Parse(text));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
