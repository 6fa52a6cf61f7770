using Soci.TestEnvironment.Processes;
using Soci.TestEnvironment.Registry;

namespace Soci.TestEnvironment.Images;

/// <summary>Pushes an OCI layout to a test registry with skopeo, layers as they are (no recompression).</summary>
public static class ImagePusher
{
    public static async Task<string> PushAsync(string layoutDirectory, string layoutTag, LocalRegistry registry, string repository, string tag)
    {
        var reference = registry.Reference(repository, tag);
        List<string> arguments = ["copy", "--quiet", "--preserve-digests"];
        if (registry.Certificate is { } certificate)
        {
            arguments.AddRange(["--dest-cert-dir", certificate.TrustDirectory]);
        }
        else
        {
            arguments.Add("--dest-tls-verify=false");
        }

        if (registry.Options.BasicAuth is { } credentials)
        {
            arguments.AddRange(["--dest-creds", credentials.AsUserColonPassword]);
        }

        arguments.AddRange([$"oci:{layoutDirectory}:{layoutTag}", $"docker://{reference}"]);
        (await CommandRunner.RunAsync("skopeo", arguments, TimeSpan.FromMinutes(20))).EnsureSuccess();
        return reference;
    }
}
