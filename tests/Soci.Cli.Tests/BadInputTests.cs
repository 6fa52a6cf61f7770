using Soci.TestEnvironment.Processes;

namespace Soci.Cli.Tests;

/// <summary>Bad input ends with exit code 1 and one clear `soci: …` line on stderr naming what was wrong, never a stack trace.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task Every_command_reports_bad_input_as_one_clear_error_line()
    {
        await using var stack = await CliStack.Create("cli-bad-input").WithRegistryAsync();
        var unknown = stack.Registry!.Reference("no-such-image", "v1");
        var missing = "sha256:" + new string('0', 64);

        AssertFails(await stack.SociStoreAsync("create", unknown), "no-such-image", "not found");
        AssertFails(await stack.SociStoreAsync("create", "Not/A/Valid:Reference!"), "not a valid registry reference");
        AssertFails(await stack.SociStoreAsync("create"), "source image needs to be specified");
        AssertFails(await stack.SociStoreAsync("create", "--span-size", "-1", stack.Layout), "span size must be >= 0");
        AssertFails(await stack.SociStoreAsync("create", "--span-size", "99999999999999999999", stack.Layout), "invalid value \"99999999999999999999\" for flag -span-size");
        AssertFails(await stack.SociStoreAsync("create", "--optimizations", "fast", stack.Layout), "optimization fast is not a valid optimization [xattr]");
        AssertFails(await stack.SociStoreAsync("create", "--platform", "linux/arm64", stack.Layout), "image manifest for linux/arm64: not found");
        AssertFails(await stack.SociStoreAsync("create", "--platform", "linux", stack.Layout), "could not parse platform linux");
        AssertFails(await stack.SociAsync("--content-store", "bogus", "index", "list"), "unknown content store type: bogus; must be one of [soci containerd]");
        AssertFails(await stack.SociStoreAsync("--timeout", "soon", "index", "list"), "invalid duration \"soon\"");
        AssertFails(await stack.SociStoreAsync("--timeout", "1ns", "create", stack.ImageReference), "operation cancelled: timeout exceeded");
        AssertFails(await stack.SociStoreAsync("index", "info", missing), $"the index of the digest {missing} doesn't exist");
        AssertFails(await stack.SociStoreAsync("index", "info", "hello"), "invalid digest \"hello\"");
        AssertFails(await stack.SociStoreAsync("index", "rm", missing, "--ref", stack.Layout), "please provide either index digests or image ref, but not both");
        AssertFails(await stack.SociStoreAsync("ztoc", "list", "--ztoc-digest", "sha256:hello"), "invalid digest \"sha256:hello\"");
        AssertFails(await stack.SociStoreAsync("push"), "please provide an image reference to push");
        AssertFails(await stack.SociStoreAsync("push", "--existing-index", "sometimes", stack.ImageReference),
            "unexpected value for flag existing-index: sometimes, expected types [warn skip allow]");
        AssertFails(await stack.SociStoreAsync("push", stack.ImageReference), "could not find any soci index manifest v1 to push for platform linux/amd64");
        AssertFails(await stack.SociStoreAsync("convert", stack.ImageReference), "destination needs to be specified");
        AssertFails(await stack.SociStoreAsync("convert", stack.ImageReference, stack.Registry.Host + "/untagged"), "reference must be tagged");
        AssertFails(await stack.SociStoreAsync("convert", "--format", "zip", "--standalone", stack.Layout, stack.Directory.File("out")),
            "unsupported output format \"zip\": must be \"oci-archive\" or \"oci-dir\"");
        AssertFails(await stack.SociStoreAsync("convert", "--standalone", stack.Directory.File("missing-layout"), stack.Directory.File("out")), "failed to access input");
        AssertFails(await stack.SociStoreAsync("index", "list", "--no-such-flag"), "--no-such-flag");
    }

    private static void AssertFails(CommandResult result, params string[] expected)
    {
        Assert.True(result.ExitCode == 1, $"`{result.Command}` exited with {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        var line = Assert.Single(CliStack.Lines(result.StandardError));
        Assert.StartsWith("soci: ", line, StringComparison.Ordinal);
        foreach (var part in expected)
        {
            Assert.Contains(part, line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Exception", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }
}
