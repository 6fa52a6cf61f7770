using System.Net;
using System.Text;
using System.Text.Json;

namespace Soci.Actors.Registry.Transport;

/// <summary>Turns unexpected registry answers into errors naming the operation and the registry's error codes.</summary>
public static class ResponseChecks
{
    private const int MaxErrorBody = 4096;

    public static async ValueTask EnsureSuccessAsync(HttpResponseMessage response, OperationTarget target, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = await RegistryErrorsAsync(response, cancellationToken).ConfigureAwait(false);
        var status = $"{(int)response.StatusCode} {response.StatusCode}{detail}";
        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound => new RegistryNotFoundException($"{target}: not found ({status})"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new RegistryAuthenticationException($"{target}: access denied ({status})"),
            _ => new RegistryException($"{target}: unexpected status {status}"),
        };
    }

    /// <summary>The distribution error codes and messages of a failed answer (body read up to 4 KiB), e.g. ": NAME_UNKNOWN repository name not known".</summary>
    public static async ValueTask<string> RegistryErrorsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            body = new byte[MaxErrorBody];
            var read = await stream.ReadAtLeastAsync(body, MaxErrorBody, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            body = body[..read];
        }
        catch (Exception error) when (error is IOException or HttpRequestException)
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
            {
                return "";
            }

            var text = new StringBuilder();
            foreach (var error in errors.EnumerateArray())
            {
                var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                text.Append(text.Length == 0 ? ": " : "; ").Append(code).Append(' ').Append(message);
            }

            return text.ToString();
        }
        catch (JsonException)
        {
            return "";
        }
    }

    public static async ValueTask<bool> HasErrorCodeAsync(HttpResponseMessage response, string code, CancellationToken cancellationToken)
    {
        var errors = await RegistryErrorsAsync(response, cancellationToken).ConfigureAwait(false);
        return errors.Contains(": " + code + " ", StringComparison.Ordinal) || errors.Contains("; " + code + " ", StringComparison.Ordinal);
    }
}
