using System.Diagnostics;
using System.Text.Json;

namespace Soci.Actors.Registry.Auth;

/// <summary>
/// A Docker credential helper executable (<c>docker-credential-&lt;name&gt; get</c>, server URL on stdin, JSON
/// <c>{"Username","Secret"}</c> on stdout). The helper's output is never put into error messages: it holds secrets.
/// </summary>
public sealed class CredentialHelper(string name)
{
    private const string TokenUsername = "<token>";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public string Executable => "docker-credential-" + name;

    public async Task<RegistryCredentials?> GetAsync(string serverUrl, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("get");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new RegistryException($"credential helper {Executable} did not start");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new RegistryException($"credential helper {Executable} could not be run: {error.Message}", error);
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            await process.StandardInput.WriteAsync(serverUrl).ConfigureAwait(false);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill();
                throw new RegistryException($"credential helper {Executable} did not answer within {Timeout.TotalSeconds} s");
            }

            var stdout = await output.ConfigureAwait(false);
            var stderr = await errors.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                // The helper protocol reports "no credentials" as a failure with this message.
                if ((stdout + stderr).Contains("credentials not found", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                throw new RegistryException($"credential helper {Executable} failed with exit code {process.ExitCode}");
            }

            return Parse(stdout);
        }
    }

    private RegistryCredentials Parse(string stdout)
    {
        try
        {
            using var document = JsonDocument.Parse(stdout);
            var username = document.RootElement.TryGetProperty("Username", out var user) ? user.GetString() ?? "" : "";
            var secret = document.RootElement.TryGetProperty("Secret", out var value) ? value.GetString() ?? "" : "";
            return username == TokenUsername ? new RegistryCredentials("", secret) : new RegistryCredentials(username, secret);
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            throw new RegistryException($"credential helper {Executable} printed something that is not its JSON answer");
        }
    }
}
