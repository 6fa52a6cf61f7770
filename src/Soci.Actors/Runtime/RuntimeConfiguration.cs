using Akka.Configuration;

namespace Soci.Actors.Runtime;

/// <summary>The reference HOCON of the runtime (hocon/soci.conf, embedded), with optional overrides on top.</summary>
public static class RuntimeConfiguration
{
    private const string ResourceName = "Soci.Actors.Runtime.soci.conf";

    public static Config Reference { get; } = Load();

    /// <summary>The overrides (HOCON text) falling back to the reference configuration.</summary>
    public static Config With(string overrides) =>
        string.IsNullOrWhiteSpace(overrides) ? Reference : ConfigurationFactory.ParseString(overrides).WithFallback(Reference);

    private static Config Load()
    {
        using var stream = typeof(RuntimeConfiguration).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
